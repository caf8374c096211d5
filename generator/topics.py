"""Topic vectors of papers: a latent semantic analysis (truncated SVD) of their TF-IDF rows.

Why.  TF-IDF cosine links two papers by the words they share, and a single rare shared
phrase ("diminishing returns", a model's name, a URL fragment) can put a paper on another
topic first.  The leading singular vectors of the papers x features matrix are the
archive's main themes: two papers about GUI agents lie close in that space even when their
rarest phrases differ, and a paper on watermarking audio lies far from one on watermarking
LLM text.  :mod:`generator.related` blends this topic cosine into the text cosine of its
candidates, and falls back on it where a paper shares too little text with any other.

How.  A randomized SVD (range finder with power iterations, then the exact SVD of the
small projected problem): a few lines of NumPy over the sparse matrix SciPy already
holds, with a fixed number of passes over that matrix (so a bounded cost) and nothing
iterative to converge or to seed but one random matrix.  Every product with the
feature matrix runs over blocks of features, so no dense features x dimensions matrix is
ever made (at 47,714 papers there are some 600,000 features); memory is a few dense
papers x dimensions arrays.

Determinism: the random test matrix comes from a fixed seed, drawn in feature order, and
the rows are taken in the caller's order (:mod:`generator.related` passes them sorted by
paper id), so the same archive gives the same vectors.  A vector is unit length (or zero
for a paper with no features), so the dot product of two is their topic cosine; vectors
are returned as 32-bit floats (half the memory; cosines are rounded to six places anyway).
"""

from __future__ import annotations

import numpy as np
from scipy import sparse

#: Dimensions kept: enough to tell "GUI agents" from "web agents", few enough that two
#: papers on one theme meet although they share no rare phrase.
DIMENSIONS = 200
#: Extra random directions of the range finder, and power iterations: the usual values
#: for an accurate randomized SVD (Halko, Martinsson and Tropp, 2011).
OVERSAMPLE = 20
POWER_ITERATIONS = 2
#: The seed of the random test matrix.
SEED = 20261201
#: Features per block of the products with the feature matrix (bounds their memory).
FEATURE_BLOCK = 16384


def topic_vectors(matrix: sparse.csr_matrix, dimensions: int = DIMENSIONS) -> np.ndarray:
    """Unit topic vectors (papers x at most ``dimensions``) of a papers x features matrix.

    Fewer dimensions than asked where the archive is small: at most half its papers.
    """
    n, m = matrix.shape
    k = min(dimensions, n // 2, m)
    if k < 1:
        return np.zeros((n, 0))
    width = min(k + OVERSAMPLE, n, m)
    by_feature = sparse.csr_matrix(matrix.T)
    rng = np.random.default_rng(SEED)
    sample = np.zeros((n, width))
    for start in range(0, m, FEATURE_BLOCK):
        block = by_feature[start:start + FEATURE_BLOCK]
        sample += block.T @ rng.standard_normal((block.shape[0], width))
    basis = _orthonormal(sample)
    del sample
    for _ in range(POWER_ITERATIONS):
        basis = _orthonormal(_gram_times(by_feature, basis))
    # The SVD of the projected matrix basis.T @ matrix through its Gram matrix (width x
    # width): its eigenvectors rotate the basis onto the singular vectors.
    gram = np.zeros((width, width))
    for start in range(0, m, FEATURE_BLOCK):
        projected = by_feature[start:start + FEATURE_BLOCK] @ basis
        gram += projected.T @ projected
    values, vectors = np.linalg.eigh(gram)
    top = np.argsort(-values, kind="stable")[:k]
    vectors = basis @ (vectors[:, top] * np.sqrt(np.maximum(values[top], 0.0)))
    norms = np.linalg.norm(vectors, axis=1)
    norms[norms == 0] = 1.0
    vectors /= norms[:, None]
    unit: np.ndarray = vectors.astype(np.float32)
    return unit


def _orthonormal(columns: np.ndarray) -> np.ndarray:
    """An orthonormal basis of the span of ``columns`` (papers x width), in place of QR.

    Through the eigenvectors of the small Gram matrix (width x width), twice: a product of
    matrices, where Householder QR of a tall matrix was most of the time at 47,714 papers.
    Directions far weaker than the strongest (numerically none) are dropped to zero.
    """
    for _ in range(2):
        values, vectors = np.linalg.eigh(columns.T @ columns)
        keep = values > values.max() * 1e-12
        scale = np.zeros_like(values)
        scale[keep] = 1.0 / np.sqrt(values[keep])
        columns = columns @ (vectors * scale)
    return columns


def _gram_times(by_feature: sparse.csr_matrix, basis: np.ndarray) -> np.ndarray:
    """``matrix @ matrix.T @ basis``, summed over blocks of features."""
    out = np.zeros_like(basis)
    for start in range(0, by_feature.shape[0], FEATURE_BLOCK):
        block = by_feature[start:start + FEATURE_BLOCK]
        out += block.T @ (block @ basis)
    return out
