"""The OpenAI-compatible API (/v1) over the engine: schemas, access, conversation, streaming, routes."""
