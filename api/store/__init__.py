"""The store and the one data-access layer that GraphQL and REST share."""
