"""Reference values for shadowdiff's statistics (src/stats), computed independently.

Libraries: scipy (normal, binomial, Wilcoxon), statsmodels (Wilson, McNemar, Holm), numpy
(quantiles), mpmath (40-digit log binomial coefficients and Stirling errors, and a cross-check of
the scipy normal and binomial values). Two references are written out here from their published
definitions because no library has them: Newcombe's paired-difference interval (on top of
statsmodels' Wilson intervals) and the mulberry32 generator with the percentile bootstrap. The
exact and sequential bounds (Clopper-Pearson, the mixture confidence sequences, Fieller,
order-statistic ranks, Benjamini-Hochberg, the two-proportion test, BCa) are computed in
bounds_reference.py; reference_common.py holds the helpers both use.

Produced with Python 3.11.7, numpy 2.4.6, scipy 1.17.1, statsmodels 0.15.0, mpmath 1.3.0 (also
recorded under "versions" in reference.json). To regenerate (about 10 s):

    pip install numpy scipy statsmodels mpmath
    python3 test/unit/stats/reference/make_reference.py
    npx biome format --write test/unit/stats/reference/reference.json

It overwrites reference.json next to this file; the formatter only re-indents it (the values are
the same, and an unchanged generator reproduces the checked-in file byte for byte). The unit tests
only read the JSON.
"""

import json
import math
import pathlib
import platform

import mpmath
import numpy as np
import scipy
import statsmodels
from bounds_reference import bounds_references
from reference_common import agree, mulberry32
from scipy import special, stats
from statsmodels.stats.contingency_tables import mcnemar
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportion_confint

mpmath.mp.dps = 40
rng = np.random.default_rng(20261125)
ref = {
    "versions": {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "statsmodels": statsmodels.__version__,
        "mpmath": mpmath.__version__,
    }
}


# --- normal ------------------------------------------------------------------------------------
ref["normal"] = []
for z in [-38, -30, -20, -12, -10, -8.3, -8, -6.5, -5.66, -5.6, -5, -3, -1.959963984540054, -1.5, -1,
          -0.6745, -0.674, -0.3, -1e-8, 0, 1e-8, 0.4, 0.67, 0.7, 1, 1.6448536269514722, 2.5, 4, 5,
          5.7, 7, 8, 8.3, 10, 20]:
    z = float(z)
    cdf, sf = float(stats.norm.cdf(z)), float(stats.norm.sf(z))
    agree(f"norm.cdf({z})", cdf, mpmath.ncdf(z), 1e-13)
    agree(f"norm.sf({z})", sf, mpmath.ncdf(-z), 1e-13)
    ref["normal"].append({"z": z, "cdf": cdf, "sf": sf})

ref["normal_ppf"] = []
for p in [1e-300, 1e-100, 1e-20, 1e-12, 1e-10, 1e-6, 1e-4, 0.001, 0.01, 0.025, 0.05, 0.075, 0.0751,
          0.2, 0.3, 0.5, 0.6, 0.8, 0.925, 0.95, 0.975, 0.99, 0.999, 1 - 1e-9, 1 - 1e-15]:
    ref["normal_ppf"].append({"p": p, "z": float(stats.norm.ppf(p))})

# --- Wilson ------------------------------------------------------------------------------------
ref["wilson"] = []
for k, n in [(0, 1), (1, 1), (0, 600), (600, 600), (1, 3), (2, 3), (12, 100), (5, 600), (298, 600),
             (300, 600), (301, 600), (1, 100000), (4321, 100000), (99999, 100000), (50, 50), (7, 13)]:
    for confidence in [0.9, 0.95, 0.99]:
        low, high = proportion_confint(k, n, alpha=1 - confidence, method="wilson")
        ref["wilson"].append({"k": k, "n": n, "confidence": confidence, "low": float(low), "high": float(high)})

# --- log-gamma, binomial coefficients, Stirling error -------------------------------------------
ref["log_gamma"] = [{"x": x, "value": float(special.gammaln(x))}
                    for x in [0.1, 0.5, 1, 1.5, 2, 2.5, 3.7, 10, 100.5, 1e4, 1e7]]
ref["log_choose"] = [
    {"n": n, "k": k, "value": float(mpmath.log(mpmath.binomial(n, k)))}
    for n, k in [(1, 1), (20, 1), (10, 3), (100, 50), (8400, 4000), (10**7, 5 * 10**6), (10**7, 3),
                 (10**7, 10**7 - 10), (10**9, 123456789)]
]
ref["stirling_error"] = [
    {"n": n, "value": float(mpmath.loggamma(n + 1) - (n + mpmath.mpf(0.5)) * mpmath.log(n) + n
                            - mpmath.log(2 * mpmath.pi) / 2)}
    for n in [1, 5, 15, 16, 35, 36, 80, 81, 500, 501, 10**4, 10**7]
]

# --- binomial ----------------------------------------------------------------------------------


def exact_binomial_tails(k, n, p):
    """P(X <= k) and P(X > k) by summing every term at 40 digits."""
    p, q = mpmath.mpf(p), 1 - mpmath.mpf(p)
    term, lower, upper = q**n, mpmath.mpf(0), mpmath.mpf(0)
    for i in range(n + 1):
        if i <= k:
            lower += term
        else:
            upper += term
        if i < n:
            term = term * (n - i) / (i + 1) * p / q
    return lower, upper


ref["binomial"] = []
M = 10**7
for k, n, p in [(0, 0, 0.3), (3, 10, 0.5), (0, 20, 0.5), (20, 20, 0.5), (40, 100, 0.5), (60, 100, 0.3),
                (10, 1000, 0.02), (99, 100, 0.5), (1, 100, 0.999), (0, 8400, 0.5), (4000, 8400, 0.5),
                (4200, 8400, 0.5), (4400, 8400, 0.5), (50000, 100500, 0.5), (4_980_000, M, 0.5),
                (4_990_000, M, 0.5), (4_993_000, M, 0.5), (4_999_999, M, 0.5), (5_000_000, M, 0.5),
                (5_003_000, M, 0.5), (10, M, 1e-6), (25, M, 1e-6), (99_000, M, 0.01), (100_500, M, 0.01),
                (9_999_990, M, 0.999999)]:
    row = {"k": k, "n": n, "p": p, "pmf": float(stats.binom.pmf(k, n, p)),
           "cdf": float(stats.binom.cdf(k, n, p)), "sf": float(stats.binom.sf(k, n, p))}
    if n <= 100500:  # an exact 40-digit sum of the pmf is too slow at n = 1e7
        lower, upper = exact_binomial_tails(k, n, p)
        agree(f"binom.cdf{(k, n, p)}", row["cdf"], lower, 1e-12)
        agree(f"binom.sf{(k, n, p)}", row["sf"], upper, 1e-12)
    ref["binomial"].append(row)

# --- McNemar and the paired rate difference ------------------------------------------------------
ref["mcnemar"] = []
for b, c in [(0, 0), (1, 0), (0, 1), (5, 0), (1, 2), (3, 7), (10, 10), (12, 30), (0, 25), (4000, 4400),
             (4400, 4000), (50000, 50600)]:
    # statsmodels reads the discordant cells off the table as [[a, b], [c, d]].
    result = mcnemar([[100, b], [c, 80]], exact=True)
    ref["mcnemar"].append({"b": b, "c": c, "p": float(result.pvalue)})


def newcombe(both, baseline_only, candidate_only, neither, confidence):
    """Newcombe (1998) method 10, candidate rate - baseline rate, from its published formula."""
    n = both + baseline_only + candidate_only + neither
    p1, p2 = (both + candidate_only) / n, (both + baseline_only) / n
    l1, u1 = proportion_confint(both + candidate_only, n, alpha=1 - confidence, method="wilson")
    l2, u2 = proportion_confint(both + baseline_only, n, alpha=1 - confidence, method="wilson")
    margins = ((both + candidate_only) * (baseline_only + neither) * (both + baseline_only)
               * (candidate_only + neither))
    cross = both * neither - candidate_only * baseline_only
    if margins == 0:
        phi = 0.0
    elif cross > n / 2:
        phi = (cross - n / 2) / math.sqrt(margins)
    elif cross >= 0:
        phi = 0.0
    else:
        phi = cross / math.sqrt(margins)
    low = p1 - p2 - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2 - 2 * phi * (p1 - l1) * (u2 - p2))
    high = p1 - p2 + math.sqrt((p2 - l2) ** 2 + (u1 - p1) ** 2 - 2 * phi * (p2 - l2) * (u1 - p1))
    return {"estimate": p1 - p2, "low": max(-1.0, low), "high": min(1.0, high)}


ref["paired_difference"] = []
for both, baseline_only, candidate_only, neither in [
    (59, 16, 6, 80),  # Fagerland, Lydersen & Laake (2017) ch. 8, Cavo et al. 2012
    (1, 7, 1, 12),  # ibid., Bentur et al. 2009
    (0, 0, 0, 10), (10, 0, 0, 0), (5, 0, 0, 5), (40, 3, 9, 48), (900, 40, 55, 5), (0, 3, 5, 0),
    (1000, 4000, 4400, 600), (0, 0, 1, 0),
]:
    for confidence in [0.95, 0.99]:
        row = {"both": both, "baselineOnly": baseline_only, "candidateOnly": candidate_only,
               "neither": neither, "confidence": confidence}
        row.update(newcombe(both, baseline_only, candidate_only, neither, confidence))
        ref["paired_difference"].append(row)
cavo = newcombe(59, 16, 6, 80, 0.95)
assert [round(cavo[key], 4) for key in ("estimate", "low", "high")] == [-0.0621, -0.1186, -0.0046], cavo

# --- Wilcoxon signed-rank ------------------------------------------------------------------------


def wilcoxon_case(name, x, scipy_method, ours, correction=False):
    x = [float(value) for value in x]
    result = stats.wilcoxon(x, zero_method="wilcox", correction=correction, method=scipy_method)
    row = {"name": name, "x": x, "options": {"method": ours, "continuityCorrection": correction},
           "method": "exact" if scipy_method == "exact" else "normal",
           "statistic": float(result.statistic), "p": float(result.pvalue)}
    if scipy_method == "asymptotic":
        row["z"] = float(result.zstatistic)
    return row


tied = [0.1, 0.1, -0.1, 0.2, 0, 0, 0.3, -0.2, 0.2, 0.4, 0.1, -0.3]
latency_log_ratios = np.log(rng.lognormal(6, 0.4, 200).round(0) / rng.lognormal(6.05, 0.4, 200).round(0))
ref["wilcoxon"] = [
    wilcoxon_case("n = 10, no ties: exact", [0.12, -0.3, 0.45, 0.08, 0.61, -0.05, 0.33, 0.27, -0.14, 0.5],
                  "exact", "auto"),
    wilcoxon_case("n = 1: exact", [0.5], "exact", "auto"),
    wilcoxon_case("n = 25, no ties: exact", rng.normal(0.2, 1.0, 25), "exact", "auto"),
    wilcoxon_case("n = 26, no ties: normal", rng.normal(0.2, 1.0, 26), "asymptotic", "auto"),
    wilcoxon_case("zeros dropped, then exact", [0, 0.31, -0.12, 0, 0.52, 0.07, -0.44, 0.9, 0, 0.15, 0.26, 0.61,
                                                -0.02, 0.38, 0.73], "exact", "auto"),
    wilcoxon_case("ties and zeros: normal", tied, "asymptotic", "auto"),
    wilcoxon_case("ties and zeros: normal, continuity correction", tied, "asymptotic", "auto", True),
    wilcoxon_case("ties, forced exact (conservative rounding)", tied, "exact", "exact"),
    wilcoxon_case("n = 200, rounded (ties): normal", rng.normal(0.05, 0.3, 200).round(2), "asymptotic", "auto"),
    wilcoxon_case("n = 200 latency log ratios: normal", latency_log_ratios, "asymptotic", "auto"),
    wilcoxon_case("n = 200 latency log ratios: normal, continuity correction", latency_log_ratios,
                  "asymptotic", "auto", True),
    wilcoxon_case("n = 20 forced normal", rng.normal(-0.3, 1.0, 20), "asymptotic", "normal"),
]

# --- Holm --------------------------------------------------------------------------------------
ref["holm"] = []
for p_values in [[0.01, 0.04, 0.03, 0.005, 0.2, 0.5, 0.04], [0.5], [0.01, 0.01, 0.01], [0, 1, 0.3, 0.02],
                 (rng.uniform(0, 1, 50) ** 3).tolist()]:
    ref["holm"].append({"p": p_values, "adjusted": multipletests(p_values, method="holm")[1].tolist()})

# --- quantiles ---------------------------------------------------------------------------------
levels = [0, 0.01, 0.05, 0.1, 0.25, 0.333, 0.5, 0.75, 0.9, 0.95, 0.99, 1]
ref["quantile"] = []
for sample in [rng.normal(10, 3, 101).round(4).tolist(), [3.0, 1.0, 2.0], [1.0, 1.0, 2.0, 2.0, 2.0, 5.0],
               [4.2], [-1.0, 1.0], rng.lognormal(0, 1, 1000).tolist()]:
    ref["quantile"].append({"x": sample, "q": levels,
                            "values": [float(np.quantile(sample, q)) for q in levels],
                            "median": float(np.median(sample)), "mean": float(np.mean(sample))})

# --- mulberry32 and the percentile bootstrap, from their definitions ----------------------------


def percentile_bootstrap(values, seed, resamples, confidence, statistic):
    draw = mulberry32(seed)
    n = len(values)
    estimates = []
    for _ in range(resamples):
        estimates.append(statistic([values[math.floor(next(draw) * n)] for _ in range(n)]))
    tail = (1 - confidence) / 2
    return {"estimate": float(statistic(values)), "low": float(np.quantile(estimates, tail)),
            "high": float(np.quantile(estimates, 1 - tail))}


generator = mulberry32(42)
ref["mulberry32"] = {"seed": 42, "first": [next(generator) for _ in range(8)]}
small_sample = rng.lognormal(0, 0.5, 40).round(3).tolist()
ref["bootstrap"] = {
    "values": small_sample, "seed": 7, "resamples": 500, "confidence": 0.9,
    "mean": percentile_bootstrap(small_sample, 7, 500, 0.9, lambda xs: math.fsum(xs) / len(xs)),
    "median": percentile_bootstrap(small_sample, 7, 500, 0.9, lambda xs: float(np.median(xs))),
}
ref["normal_sample"] = rng.normal(0.1, 0.4, 2000).tolist()

# --- exact and sequential bounds (bounds_reference.py) ------------------------------------------
ref.update(bounds_references())

path = pathlib.Path(__file__).with_name("reference.json")
path.write_text(json.dumps(ref, indent=1) + "\n")
print(f"wrote {path}")
