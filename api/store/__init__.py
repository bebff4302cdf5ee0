"""The one query layer: typed async functions over a session, shared by REST and GraphQL."""
