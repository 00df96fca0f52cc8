"""Results, the ledger of capitalised units, validations of prior learning, milestones."""
