"""Reference values for shadowdiff's statistics (src/analyze/stats), computed independently.

Libraries: scipy (normal, binomial, Wilcoxon, Clopper-Pearson beta quantiles where the binomial
tails are too long to sum, order-statistic binomial tails, the BCa bootstrap), statsmodels (Wilson,
McNemar, Holm, Benjamini-Hochberg, the pooled two-proportion z-test), numpy (quantiles, Fieller's
quadratic), mpmath (40-digit log binomial coefficients and Stirling errors, a cross-check of the
scipy normal and binomial values, 50-digit Clopper-Pearson roots of the binomial tails, and 50-digit
implementations of the beta-binomial and normal mixture confidence sequences). Some references are written out here from their published definitions
because no library has them: Newcombe's paired-difference interval (on top of statsmodels' Wilson
intervals), the mulberry32 generator with the percentile and BCa bootstraps on its stream, and the
two mixture confidence sequences.

Produced with Python 3.11.7, numpy 2.4.6, scipy 1.17.1, statsmodels 0.15.0, mpmath 1.3.0 (also
recorded under "versions" in reference.json). To regenerate (about 10 s):

    pip install numpy scipy statsmodels mpmath
    python3 test/unit/analyze/stats/reference/make_reference.py
    npx biome format --write test/unit/analyze/stats/reference/reference.json

It overwrites reference.json next to this file; the formatter only re-indents it (the values are
the same, and an unchanged generator reproduces the checked-in file byte for byte). The unit tests
only read the JSON.
"""

import json
import math
import pathlib
import platform
from fractions import Fraction

import mpmath
import numpy as np
import scipy
import statsmodels
from scipy import special, stats
from statsmodels.stats.contingency_tables import mcnemar
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportion_confint, proportions_ztest, test_proportions_2indep

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


def agree(name, value, exact, tolerance):
    """Fail loudly if scipy and mpmath disagree: then neither is a trustworthy reference."""
    exact = float(exact)
    scale = max(abs(exact), 1e-300)
    if abs(value - exact) / scale > tolerance and not (value == 0 and abs(exact) < 1e-300):
        raise SystemExit(f"{name}: library {value!r} vs mpmath {exact!r}")


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


def mulberry32(seed):
    state = seed & 0xFFFFFFFF
    while True:
        state = (state + 0x6D2B79F5) & 0xFFFFFFFF
        t = state
        t = ((t ^ (t >> 15)) * (t | 1)) & 0xFFFFFFFF
        t ^= (t + (((t ^ (t >> 7)) * (t | 61)) & 0xFFFFFFFF)) & 0xFFFFFFFF
        yield ((t ^ (t >> 14)) & 0xFFFFFFFF) / 4294967296


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

# ================================================================================================
# Sequential and exact bounds (clopper-pearson.ts, beta-binomial-mixture.ts, normal-mixture.ts,
# fieller.ts, order-statistics.ts, benjamini-hochberg.ts, two-proportion.ts, bca-bootstrap.ts).
# Their random data come from a generator of their own, so the sections above keep their values.
# ================================================================================================
new_rng = np.random.default_rng(20261126)


def bounded(value):
    """JSON has no infinity: an unbounded side is written as null."""
    return None if math.isinf(value) else float(value)


# --- Clopper-Pearson: 50-digit roots of the binomial tails, else scipy's beta quantiles -------------


def binomial_lower_tail(k, n, p):
    """P(X <= k) summed term by term at the working precision: k + 1 terms."""
    p = mpmath.mpf(p)
    q = 1 - p
    term = q**n
    total = term
    for i in range(k):
        term = term * (n - i) / (i + 1) * p / q
        total += term
    return total


def at_least(k, n, p):
    """P(X >= k), summed over whichever side has fewer terms."""
    return 1 - binomial_lower_tail(k - 1, n, p) if k - 1 <= n - k else binomial_lower_tail(n - k, n, 1 - mpmath.mpf(p))


def at_most(k, n, p):
    """P(X <= k), summed over whichever side has fewer terms."""
    return binomial_lower_tail(k, n, p) if k <= n - k - 1 else 1 - binomial_lower_tail(n - k - 1, n, 1 - mpmath.mpf(p))


def exact_root(tail, alpha, start):
    """The p where tail(p) = alpha, by the secant method from scipy's value, at 50 digits."""
    with mpmath.workdps(50):
        return mpmath.findroot(lambda p: tail(p) - alpha, (mpmath.mpf(start), mpmath.mpf(start) * (1 + 1e-9)),
                               solver="secant", tol=mpmath.mpf(10) ** -45)


ref["clopper_pearson"] = []
for k, n, alpha_low, alpha_high in [
    (0, 1, 0.025, 0.025), (1, 1, 0.025, 0.025), (0, 10, 0.05, 0.05), (3, 10, 0.025, 0.025),
    (10, 10, 0.05, 0.01), (5, 100, 0.025, 0.025), (50, 100, 0.0125, 0.05), (99, 100, 0.025, 0.025),
    (3, 1000, 0.05, 1e-4), (12, 600, 0.0125, 0.05), (4321, 10000, 1e-6, 1e-6), (1, 10**7, 1e-6, 1e-6),
    (25, 10**7, 0.025, 0.025), (100_000, 10**7, 1e-6, 1e-6), (5_000_000, 10**7, 1e-6, 1e-6),
    (9_999_999, 10**7, 1e-6, 0.05), (10**7, 10**7, 0.05, 0.05), (0, 10**7, 0.05, 1e-6),
]:
    # isf(alpha_high) rather than ppf(1 - alpha_high): 1 - 1e-6 would round alpha_high by 1e-10.
    low = 0.0 if k == 0 else float(stats.beta.ppf(alpha_low, k, n - k + 1))
    high = 1.0 if k == n else float(stats.beta.isf(alpha_high, k + 1, n - k))
    source = "scipy"
    if min(k, n - k) <= 20000:
        # Where the tails have at most ~20 000 terms, the bounds are solved exactly instead, and
        # scipy must agree to 1e-10 (its beta.isf is 3e-11 off at k = 25, n = 1e7).
        if k > 0:
            exact_low = float(exact_root(lambda p: at_least(k, n, p), alpha_low, low))
            agree(f"beta.ppf{(alpha_low, k, n - k + 1)}", low, exact_low, 1e-10)
            low = exact_low
        if k < n:
            exact_high = float(exact_root(lambda p: at_most(k, n, p), alpha_high, high))
            agree(f"beta.isf{(alpha_high, k + 1, n - k)}", high, exact_high, 1e-10)
            high = exact_high
        source = "mpmath"
    ref["clopper_pearson"].append({"k": k, "n": n, "alphaLow": alpha_low, "alphaHigh": alpha_high,
                                   "low": low, "high": high, "source": source})

# --- beta-binomial mixture confidence sequence: the same formula at 50 digits with mpmath ----------
JEFFREYS = (mpmath.mpf(1) / 2, mpmath.mpf(1) / 2)


def log_mixture_ratio(k, n, p, prior):
    """ln of B(a+k, b+n-k)/B(a,b) / (p^k (1-p)^(n-k)), straight from the definition."""
    a, b = prior
    p = mpmath.mpf(p)
    log_marginal = (mpmath.loggamma(a + k) + mpmath.loggamma(b + n - k) - mpmath.loggamma(a + b + n)
                    - (mpmath.loggamma(a) + mpmath.loggamma(b) - mpmath.loggamma(a + b)))
    log_likelihood = (k * mpmath.log(p) if k else 0) + ((n - k) * mpmath.log1p(-p) if n - k else 0)
    return log_marginal - log_likelihood


def mixture_bound(k, n, alpha, prior, side):
    """Bisect ln R(p) = ln(1/alpha) between the MLE (inside) and 0 or 1 (outside), 300 halvings."""
    target = -mpmath.log(alpha)
    inside, outside = mpmath.mpf(k) / n, mpmath.mpf(0 if side == "low" else 1)
    for _ in range(300):
        middle = (inside + outside) / 2
        if log_mixture_ratio(k, n, middle, prior) < target:
            inside = middle
        else:
            outside = middle
    return outside


with mpmath.workdps(50):
    uniform_high = mixture_bound(0, 50, mpmath.mpf("0.05"), (mpmath.mpf(1), mpmath.mpf(1)), "high")
    closed_form = 1 - (mpmath.mpf(51) * 20) ** (-mpmath.mpf(1) / 50)
    assert abs(uniform_high - closed_form) < mpmath.mpf(10) ** -40, (uniform_high, closed_form)

ref["mixture_bounds"] = []
with mpmath.workdps(50):
    for k, n, alpha in [(0, 1, 0.05), (1, 1, 0.05), (0, 50, 0.05), (50, 50, 0.05), (3, 10, 0.05),
                        (10, 100, 0.05), (10, 100, 1e-6), (1, 10000, 0.01), (500, 1000, 0.05),
                        (123, 100000, 0.0125), (12, 10**7, 1e-3), (5_000_000, 10**7, 0.05),
                        (9_999_990, 10**7, 0.05)]:
        alpha_mp = mpmath.mpf(alpha)
        low = 0 if k == 0 else mixture_bound(k, n, alpha_mp, JEFFREYS, "low")
        high = 1 if k == n else mixture_bound(k, n, alpha_mp, JEFFREYS, "high")
        ref["mixture_bounds"].append({"k": k, "n": n, "alpha": alpha, "low": float(low), "high": float(high)})


def mixture_count_range(n, p, alpha):
    """Every k whose ratio is below 1/alpha, scanning outward from n*p until the ratio exceeds it
    (assumes only that the set is one stretch), and how close any boundary count came to 1/alpha."""
    target = -mpmath.log(alpha)
    centre = min(n, max(0, round(n * p)))
    inside = [k for k in range(max(0, centre - 2), min(n, centre + 2) + 1)
              if log_mixture_ratio(k, n, p, JEFFREYS) < target]
    low, high = min(inside), max(inside)
    while low > 0 and log_mixture_ratio(low - 1, n, p, JEFFREYS) < target:
        low -= 1
    while high < n and log_mixture_ratio(high + 1, n, p, JEFFREYS) < target:
        high += 1
    margin = min(abs(log_mixture_ratio(k, n, p, JEFFREYS) - target)
                 for k in (low - 1, low, high, high + 1) if 0 <= k <= n)
    return low, high, margin


ref["mixture_count_range"] = []
with mpmath.workdps(50):
    for n, p, alpha in [(1, 0.5, 0.05), (10, 0.5, 0.05), (100, 0.1, 0.05), (100, 0.95, 0.2),
                        (1000, 0.95, 0.05), (3000, 0.95, 0.05), (30, 0.95, 0.05), (100000, 0.01, 0.01),
                        (1_000_000, 0.5, 1e-6), (1_000_000, 0.999, 0.05)]:
        low, high, margin = mixture_count_range(n, p, mpmath.mpf(alpha))
        # A boundary count this close to 1/alpha could flip on the last digit of a double.
        assert margin > 1e-8, (n, p, alpha, margin)
        ref["mixture_count_range"].append({"n": n, "p": p, "alpha": alpha, "low": low, "high": high})

# --- discrete mixture of normal-mixture martingales: the formula at 50 digits with mpmath ----------


def normal_mixture_half_width(n, variance, alpha):
    """d with sum_k w_k (1 + n rho_k^2)^(-1/2) exp(rho_k^2 n^2 d^2 / (2 var (1 + n rho_k^2))) = 1/alpha,
    rho_k^2 = (-2 ln alpha + ln(-2 ln alpha + 1)) / (10 * 2^k), k = 0..23, by bisection on d."""
    alpha, n, variance = mpmath.mpf(alpha), mpmath.mpf(n), mpmath.mpf(variance)
    tuned = [10 * 2**k for k in range(24)]
    assert tuned[-1] <= 1e8 < 2 * tuned[-1]
    numerator = -2 * mpmath.log(alpha) + mpmath.log(-2 * mpmath.log(alpha) + 1)

    def martingale(d):
        total = mpmath.mpf(0)
        for tuned_n in tuned:
            rho2 = numerator / tuned_n
            total += (1 / mpmath.sqrt(1 + n * rho2)
                      * mpmath.exp(rho2 * n**2 * d**2 / (2 * variance * (1 + n * rho2))))
        return total / len(tuned)

    inside, outside = mpmath.mpf(0), 100 * mpmath.sqrt(variance)
    assert martingale(outside) > 1 / alpha
    for _ in range(250):
        middle = (inside + outside) / 2
        if martingale(middle) < 1 / alpha:
            inside = middle
        else:
            outside = middle
    return outside


ref["normal_mixture"] = []
with mpmath.workdps(50):
    for n, variance, alpha in [(1, 1, 0.05), (10, 1, 0.05), (30, 2.5, 0.05), (100, 1, 0.05),
                               (1000, 0.04, 0.01), (12345, 7.5, 0.05), (10**6, 1, 1e-6), (10**8, 1, 0.05),
                               (5 * 10**8, 3, 0.1), (2000, 1e-12, 0.05), (77, 4e6, 0.2)]:
        ref["normal_mixture"].append({"n": n, "variance": variance, "alpha": alpha,
                                      "halfWidth": float(normal_mixture_half_width(n, variance, alpha))})

# --- Fieller bounds for a ratio of paired means: numpy, from the data, not the raw sums -----------


def moments(x, y):
    return {"n": len(x), "sumX": math.fsum(x), "sumY": math.fsum(y), "sumXX": math.fsum(v * v for v in x),
            "sumYY": math.fsum(v * v for v in y), "sumXY": math.fsum(a * b for a, b in zip(x, y))}


def fieller(x, y, z):
    """Roots of (ybar - R xbar)^2 = z^2 (Syy - 2R Sxy + R^2 Sxx)/n, i.e. A R^2 - 2B R + C = 0, by the
    textbook formula (B -+ sqrt(B^2 - AC))/A on numpy's centred covariances; None if unbounded.
    (numpy.roots is not used: its companion-matrix eigenvalues lose half the digits of a double
    root, which z = 0 produces.)"""
    x, y = np.asarray(x), np.asarray(y)
    n = len(x)
    (sxx, sxy), (_, syy) = np.cov(x, y, ddof=1)
    xbar, ybar = x.mean(), y.mean()
    a = xbar**2 - z**2 * sxx / n
    if xbar <= 0 or a <= 0:
        return None
    b = xbar * ybar - z**2 * sxy / n
    c = ybar**2 - z**2 * syy / n
    root = math.sqrt(max(0.0, b * b - a * c))
    return float((b - root) / a), float((b + root) / a)


ref["fieller"] = []
baseline_latency = new_rng.lognormal(6, 0.5, 200)
baseline_tokens = new_rng.poisson(800, 100000).astype(float)
candidate_tokens = baseline_tokens + new_rng.normal(16, 40, 100000)
noisy_baseline = [0.5, -0.3, 1.2, 0.1, -0.8, 0.9, 0.4, -0.2, 0.6, 0.3]
noisy_candidate = [0.7, 0.2, 1.0, 0.4, -0.1, 1.1, 0.3, 0.2, 0.5, 0.6]
fieller_cases = [
    ("n = 200 latencies, candidate 10% slower", baseline_latency,
     baseline_latency * 1.1 * new_rng.lognormal(0, 0.2, 200), 1.959963984540054, 1.959963984540054),
    ("n = 200, different one-sided levels", baseline_latency,
     baseline_latency * 0.95 * new_rng.lognormal(0, 0.3, 200), 2.5758293035489004, 1.6448536269514655),
    ("n = 5, wide", [1.0, 2.0, 3.5, 2.2, 1.7], [1.3, 2.1, 4.4, 2.9, 1.6], 1.959963984540054, 2.241402727604947),
    ("n = 2", [10.0, 12.0], [11.0, 15.0], 0.6744897501960817, 0.6744897501960817),
    ("noisy baseline: both sides unbounded", noisy_baseline, noisy_candidate, 1.959963984540054,
     1.959963984540054),
    ("noisy baseline: bounded below at z = 0.5, unbounded above at z = 1.96", noisy_baseline, noisy_candidate,
     0.5, 1.959963984540054),
    ("candidate mean near 0: lower bound below 0", new_rng.lognormal(0, 0.3, 50).tolist(),
     new_rng.normal(0.05, 0.5, 50).tolist(), 1.959963984540054, 1.959963984540054),
    ("n = 100000 token counts", baseline_tokens, candidate_tokens, 3.2905267314918945, 3.2905267314918945),
    ("z = 0: both bounds at the estimate", [1.0, 2.0, 3.0], [2.0, 2.5, 7.0], 0.0, 0.0),
]
for name, x, y, z_low, z_high in fieller_cases:
    x, y = [float(v) for v in x], [float(v) for v in y]
    low_roots, high_roots = fieller(x, y, z_low), fieller(x, y, z_high)
    ref["fieller"].append({"name": name, "moments": moments(x, y), "zLow": z_low, "zHigh": z_high,
                           "estimate": math.fsum(y) / math.fsum(x),
                           "low": None if low_roots is None else low_roots[0],
                           "high": None if high_roots is None else high_roots[1]})

# --- order-statistic ranks for a quantile: scipy.stats.binom ----------------------------------------
ref["order_statistic_ranks"] = []
for n, p, alpha_low, alpha_high in [(1, 0.5, 0.6, 0.6), (3, 0.5, 0.2, 0.2), (10, 0.95, 0.025, 0.025),
                                    (20, 0.5, 0.025, 0.025), (59, 0.95, 0.05, 0.05), (100, 0.95, 0.025, 0.025),
                                    (1000, 0.99, 0.0125, 0.05), (5000, 0.5, 1e-6, 1e-6),
                                    (100000, 0.999, 0.025, 0.025), (250, 0.05, 0.01, 0.2)]:
    ranks = np.arange(1, n + 1)
    below = stats.binom.cdf(ranks - 1, n, p)  # P(X_(l) > q_p) = P(Bin <= l - 1)
    above = stats.binom.sf(ranks - 1, n, p)  # P(X_(u) < q_p) = P(Bin >= u)
    low = int(ranks[below <= alpha_low].max()) if (below <= alpha_low).any() else None
    high = int(ranks[above <= alpha_high].min()) if (above <= alpha_high).any() else None
    # Neither level may sit within 1e-9 (relative) of a tail probability, or the last digits decide.
    assert np.all(np.abs(below / alpha_low - 1) > 1e-9) and np.all(np.abs(above / alpha_high - 1) > 1e-9)
    ref["order_statistic_ranks"].append({"n": n, "p": p, "alphaLow": alpha_low, "alphaHigh": alpha_high,
                                         "low": low, "high": high})

# --- Benjamini-Hochberg: statsmodels --------------------------------------------------------------
ref["benjamini_hochberg"] = []
for p_values in [[0.01, 0.04, 0.03, 0.005, 0.2, 0.5, 0.04], [0.5], [0.01, 0.01, 0.01], [0, 1, 0.3, 0.02],
                 [0.9, 0.8, 0.95], (new_rng.uniform(0, 1, 60) ** 4).tolist()]:
    ref["benjamini_hochberg"].append({"p": p_values,
                                      "adjusted": multipletests(p_values, method="fdr_bh")[1].tolist()})

# --- two-proportion excess: statsmodels' pooled z-test ----------------------------------------------
ref["two_proportion"] = []
for c1, n1, c2, n2 in [(30, 200, 20, 210), (5, 50, 1, 60), (0, 100, 3, 100), (3, 100, 0, 100), (1, 1, 0, 1),
                       (1000, 10**6, 900, 10**6), (50, 50, 49, 50), (12, 3000, 2, 400), (4400, 8400, 4000, 8400),
                       (7, 20, 7, 20), (300, 1000, 10, 1000)]:
    z, p = proportions_ztest([c1, c2], [n1, n2], alternative="larger")
    # The score test without the Miettinen-Nurminen N/(N-1) factor is this same pooled test. (It
    # also reports a ratio and an odds ratio, which divide by zero when count2 = 0.)
    with np.errstate(divide="ignore"):
        uncorrected = test_proportions_2indep(c1, n1, c2, n2, method="score", compare="diff",
                                              alternative="larger", correction=False)
    agree(f"pooled z {(c1, n1, c2, n2)}", float(uncorrected.pvalue), p, 1e-12)
    ref["two_proportion"].append({"count1": c1, "trials1": n1, "count2": c2, "trials2": n2, "p": float(p)})

# --- BCa bootstrap --------------------------------------------------------------------------------


def bca_same_stream(values, seed, resamples, confidence):
    """BCa from its definition on the mulberry32 resamples that bootstrap.ts draws: z0 from the
    share below the estimate (ties half), acceleration from an exact rational jackknife with
    explicit leave-one-out means, bounds by numpy's linear (type 7) quantile."""
    draw = mulberry32(seed)
    n = len(values)
    estimate = math.fsum(values) / n
    means = [math.fsum(values[math.floor(next(draw) * n)] for _ in range(n)) / n for _ in range(resamples)]
    share = (sum(m < estimate for m in means) + sum(m <= estimate for m in means)) / (2 * resamples)
    z0 = float(special.ndtri(share))
    exact = [Fraction(v) for v in values]
    leave_one_out = [(sum(exact) - v) / (n - 1) for v in exact]
    dot = sum(leave_one_out) / n
    cubes = sum((dot - theta) ** 3 for theta in leave_one_out)
    squares = sum((dot - theta) ** 2 for theta in leave_one_out)
    with mpmath.workdps(40):
        acceleration = float(mpmath.mpf(cubes.numerator) / cubes.denominator / 6
                             / (mpmath.mpf(squares.numerator) / squares.denominator) ** 1.5)
    z_tail = float(special.ndtri((1 - confidence) / 2))
    levels = [float(special.ndtr(z0 + (z0 + z) / (1 - acceleration * (z0 + z)))) for z in (z_tail, -z_tail)]
    low, high = (float(np.quantile(means, level)) for level in levels)
    return {"estimate": estimate, "low": low, "high": high, "biasCorrection": z0, "acceleration": acceleration}


ref["bca_same_stream"] = []
for name, values, seed, resamples, confidence in [
    ("n = 25 lognormal, rounded", new_rng.lognormal(0, 0.8, 25).round(3).tolist(), 17, 2000, 0.95),
    ("n = 30 small integers: many resampled means tie the estimate",
     [float(v) for v in new_rng.integers(0, 6, 30)], 5, 2000, 0.9),
    ("n = 2, symmetric: z0 near 0, a = 0", [0.0, 1.0], 3, 1000, 0.95),
    ("n = 60 heavy right tail", new_rng.pareto(2.5, 60).round(4).tolist(), 99, 3000, 0.99),
]:
    row = {"name": name, "values": values, "seed": seed, "resamples": resamples, "confidence": confidence}
    row.update(bca_same_stream(values, seed, resamples, confidence))
    ref["bca_same_stream"].append(row)

# scipy's BCa draws its own resamples, so it is matched only within Monte Carlo error: the standard
# deviation of each bound over repeated runs is measured at the resample count the test uses.
bca_data = new_rng.lognormal(0, 0.9, 40).round(4)
BCA_TEST_RESAMPLES, BCA_REFERENCE_RESAMPLES = 100_000, 2_000_000


def scipy_bca(resamples, seed):
    result = stats.bootstrap((bca_data,), np.mean, method="BCa", confidence_level=0.95, n_resamples=resamples,
                             batch=20_000, rng=np.random.default_rng(seed))
    return float(result.confidence_interval.low), float(result.confidence_interval.high)


spread = np.array([scipy_bca(BCA_TEST_RESAMPLES, seed) for seed in range(30)]).std(axis=0, ddof=1)
reference_low, reference_high = scipy_bca(BCA_REFERENCE_RESAMPLES, 12345)
ref["bca_scipy"] = {"values": bca_data.tolist(), "confidence": 0.95, "resamples": BCA_TEST_RESAMPLES,
                    "low": reference_low, "high": reference_high,
                    "standardErrorLow": float(spread[0]), "standardErrorHigh": float(spread[1]),
                    "referenceResamples": BCA_REFERENCE_RESAMPLES}

path = pathlib.Path(__file__).with_name("reference.json")
path.write_text(json.dumps(ref, indent=1) + "\n")
print(f"wrote {path}")
