"""The one error the credentials toolkit raises for input it refuses."""


class CredentialError(ValueError):
    """A credential, key or context that cannot be signed, verified or loaded as given."""
