"""The pages: server-rendered templates, one module per area."""
