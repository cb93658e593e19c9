"""The GraphQL API: one module per domain with its types, its part of Query and its loaders."""
