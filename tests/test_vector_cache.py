"""Unit vectors survive a restart: an unchanged posting is not embedded again."""

from __future__ import annotations

import numpy as np

from bot.knowledge.vector_cache import vector_file
from tests.fakes import FakeEmbeddings


class CountingEmbeddings(FakeEmbeddings):
    """Fake embeddings that count the passages they embed."""

    def __init__(self) -> None:
        self.embedded: list[str] = []

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed passages and remember them."""
        self.embedded.extend(texts)
        return super().embed_documents(texts)


def test_a_second_run_reads_vectors_instead_of_embedding(tmp_path):
    texts = ["We offer flexible hours.", "Start dates are in spring."]
    first = CountingEmbeddings()
    vectors = vector_file(tmp_path, "fake", "units/a").embed(texts, first.embed_documents)
    assert first.embedded == texts

    again = CountingEmbeddings()
    cached = vector_file(tmp_path, "fake", "units/a").embed(texts, again.embed_documents)
    assert again.embedded == []
    np.testing.assert_allclose(cached, vectors)


def test_an_edited_posting_embeds_only_its_new_sentences(tmp_path):
    model = CountingEmbeddings()
    vector_file(tmp_path, "fake", "units/a").embed(["One.", "Two."], model.embed_documents)
    model.embedded.clear()
    vector_file(tmp_path, "fake", "units/a").embed(["One.", "Three."], model.embed_documents)
    assert model.embedded == ["Three."]


def test_another_embedding_space_does_not_reuse_vectors(tmp_path):
    model = CountingEmbeddings()
    vector_file(tmp_path, "space-a", "units/a").embed(["One."], model.embed_documents)
    model.embedded.clear()
    vector_file(tmp_path, "space-b", "units/a").embed(["One."], model.embed_documents)
    assert model.embedded == ["One."]


def test_a_damaged_cache_file_is_rebuilt(tmp_path):
    model = CountingEmbeddings()
    cache = vector_file(tmp_path, "fake", "units/a")
    cache.embed(["One."], model.embed_documents)
    cache.path.write_bytes(b"not a numpy file")
    model.embedded.clear()
    assert cache.embed(["One."], model.embed_documents).shape[0] == 1
    assert model.embedded == ["One."]
