"""Chunk-keyed random streams (METHODS 8.1)."""

from __future__ import annotations

import numpy as np

from cliffwatch.market.streams import CHUNK_SIZE, draw_chunk, draw_paths


def test_spawn_key_equals_spawned_child_methods_oracle() -> None:
    root = 12345
    spawned = np.random.SeedSequence(root).spawn(8)
    for k in (0, 3, 7):
        keyed = np.random.SeedSequence(root, spawn_key=(k,))
        a = np.random.default_rng(spawned[k]).standard_normal(1000)
        b = np.random.default_rng(keyed).standard_normal(1000)
        assert np.array_equal(a, b)
    first = np.random.default_rng(spawned[0]).standard_normal(3)
    np.testing.assert_allclose(first, [1.78751978, -0.48864090, 1.08237292], atol=1e-8)


def test_paths_independent_of_block_split() -> None:
    dims = dict(months=13, n_gen=2, n_borrowers=3, n_cpty=2, n_facilities=5)
    whole = draw_paths(1, 0, 3 * CHUNK_SIZE + 5, **dims)
    part = draw_paths(1, CHUNK_SIZE - 3, 2 * CHUNK_SIZE + 1, **dims)
    assert np.array_equal(whole.common[:, CHUNK_SIZE - 3 : 2 * CHUNK_SIZE + 1], part.common)
    assert np.array_equal(whole.refi_u[:, CHUNK_SIZE - 3 : 2 * CHUNK_SIZE + 1], part.refi_u)


def test_appending_an_obligor_keeps_the_others_draws() -> None:
    a = draw_chunk(3, 0, 12, 1, 4, 2, 3)
    b = draw_chunk(3, 0, 12, 1, 5, 2, 3)
    assert np.array_equal(a.util_idio, b.util_idio[:4])
    assert np.array_equal(a.common, b.common)


def test_normals_are_standard() -> None:
    s = draw_paths(0, 0, 20 * CHUNK_SIZE, 60, 1, 1, 1, 1)
    z = s.common.ravel()
    assert abs(z.mean()) < 4 / np.sqrt(z.size)
    assert abs(z.var() - 1) < 4 * np.sqrt(2 / z.size)
