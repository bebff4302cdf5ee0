"""The GraphQL transport (`/graphql`): strawberry types over the store, Relay-style."""
