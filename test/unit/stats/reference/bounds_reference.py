"""Reference values for the exact and sequential bounds (clopper-pearson.ts,
beta-binomial-mixture.ts, normal-mixture.ts, fieller.ts, order-statistics.ts,
benjamini-hochberg.ts, two-proportion.ts, bca-bootstrap.ts), computed independently; called by
make_reference.py, which writes them into reference.json with the rest.

Where a library has the quantity, it is the reference: scipy's beta quantiles, binomial tails and
BCa bootstrap, statsmodels' Benjamini-Hochberg, numpy's covariances. Where none
has it (the two mixture confidence sequences, BCa on our own resampling stream, Clopper-Pearson to
more digits than scipy gives at n = 1e7), the formula is written out here at 50 digits with mpmath
or in exact rational arithmetic, independently of the TypeScript.
"""

import math
from fractions import Fraction

import mpmath
import numpy as np
from reference_common import agree, mulberry32
from scipy import special, stats
from statsmodels.stats.multitest import multipletests

JEFFREYS = (mpmath.mpf(1) / 2, mpmath.mpf(1) / 2)


def bounds_references():
    # Random data come from a generator of their own, so the older sections keep their values.
    rng = np.random.default_rng(20261126)
    return {
        "clopper_pearson": clopper_pearson(),
        "mixture_bounds": mixture_bounds(),
        "mixture_count_range": mixture_count_ranges(),
        "normal_mixture": normal_mixture(),
        "fieller": fieller_cases(rng),
        "order_statistic_ranks": order_statistic_ranks(),
        "benjamini_hochberg": benjamini_hochberg(rng),
        "bca_same_stream": bca_same_stream_cases(rng),
        "bca_scipy": bca_scipy(rng),
    }


# --- Clopper-Pearson: 50-digit roots of the binomial tails, else scipy's beta quantiles -----------


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
    if k - 1 <= n - k:
        return 1 - binomial_lower_tail(k - 1, n, p)
    return binomial_lower_tail(n - k, n, 1 - mpmath.mpf(p))


def at_most(k, n, p):
    """P(X <= k), summed over whichever side has fewer terms."""
    if k <= n - k - 1:
        return binomial_lower_tail(k, n, p)
    return 1 - binomial_lower_tail(n - k - 1, n, 1 - mpmath.mpf(p))


def exact_root(tail, alpha, start):
    """The p where tail(p) = alpha, by the secant method from scipy's value, at 50 digits."""
    with mpmath.workdps(50):
        return mpmath.findroot(lambda p: tail(p) - alpha, (mpmath.mpf(start), mpmath.mpf(start) * (1 + 1e-9)),
                               solver="secant", tol=mpmath.mpf(10) ** -45)


def clopper_pearson():
    rows = []
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
        rows.append({"k": k, "n": n, "alphaLow": alpha_low, "alphaHigh": alpha_high, "low": low, "high": high,
                     "source": source})
    return rows


# --- beta-binomial mixture confidence sequence: the same formula at 50 digits with mpmath ----------


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


def mixture_bounds():
    with mpmath.workdps(50):
        # The bisection itself, checked on the closed form the uniform prior has at k = 0.
        uniform_high = mixture_bound(0, 50, mpmath.mpf("0.05"), (mpmath.mpf(1), mpmath.mpf(1)), "high")
        closed_form = 1 - (mpmath.mpf(51) * 20) ** (-mpmath.mpf(1) / 50)
        assert abs(uniform_high - closed_form) < mpmath.mpf(10) ** -40, (uniform_high, closed_form)
        rows = []
        for k, n, alpha in [(0, 1, 0.05), (1, 1, 0.05), (0, 50, 0.05), (50, 50, 0.05), (3, 10, 0.05),
                            (10, 100, 0.05), (10, 100, 1e-6), (1, 10000, 0.01), (500, 1000, 0.05),
                            (123, 100000, 0.0125), (12, 10**7, 1e-3), (5_000_000, 10**7, 0.05),
                            (9_999_990, 10**7, 0.05)]:
            alpha_mp = mpmath.mpf(alpha)
            low = 0 if k == 0 else mixture_bound(k, n, alpha_mp, JEFFREYS, "low")
            high = 1 if k == n else mixture_bound(k, n, alpha_mp, JEFFREYS, "high")
            rows.append({"k": k, "n": n, "alpha": alpha, "low": float(low), "high": float(high)})
        return rows


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


def mixture_count_ranges():
    rows = []
    with mpmath.workdps(50):
        for n, p, alpha in [(1, 0.5, 0.05), (10, 0.5, 0.05), (100, 0.1, 0.05), (100, 0.95, 0.2),
                            (1000, 0.95, 0.05), (3000, 0.95, 0.05), (30, 0.95, 0.05), (100000, 0.01, 0.01),
                            (1_000_000, 0.5, 1e-6), (1_000_000, 0.999, 0.05)]:
            low, high, margin = mixture_count_range(n, p, mpmath.mpf(alpha))
            # A boundary count this close to 1/alpha could flip on the last digit of a double.
            assert margin > 1e-8, (n, p, alpha, margin)
            rows.append({"n": n, "p": p, "alpha": alpha, "low": low, "high": high})
    return rows


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


def normal_mixture():
    with mpmath.workdps(50):
        return [{"n": n, "variance": variance, "alpha": alpha,
                 "halfWidth": float(normal_mixture_half_width(n, variance, alpha))}
                for n, variance, alpha in [(1, 1, 0.05), (10, 1, 0.05), (30, 2.5, 0.05), (100, 1, 0.05),
                                           (1000, 0.04, 0.01), (12345, 7.5, 0.05), (10**6, 1, 1e-6),
                                           (10**8, 1, 0.05), (5 * 10**8, 3, 0.1), (2000, 1e-12, 0.05),
                                           (77, 4e6, 0.2)]]


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


def fieller_cases(rng):
    baseline_latency = rng.lognormal(6, 0.5, 200)
    baseline_tokens = rng.poisson(800, 100000).astype(float)
    candidate_tokens = baseline_tokens + rng.normal(16, 40, 100000)
    noisy_baseline = [0.5, -0.3, 1.2, 0.1, -0.8, 0.9, 0.4, -0.2, 0.6, 0.3]
    noisy_candidate = [0.7, 0.2, 1.0, 0.4, -0.1, 1.1, 0.3, 0.2, 0.5, 0.6]
    cases = [
        ("n = 200 latencies, candidate 10% slower", baseline_latency,
         baseline_latency * 1.1 * rng.lognormal(0, 0.2, 200), 1.959963984540054, 1.959963984540054),
        ("n = 200, different one-sided levels", baseline_latency,
         baseline_latency * 0.95 * rng.lognormal(0, 0.3, 200), 2.5758293035489004, 1.6448536269514655),
        ("n = 5, wide", [1.0, 2.0, 3.5, 2.2, 1.7], [1.3, 2.1, 4.4, 2.9, 1.6], 1.959963984540054,
         2.241402727604947),
        ("n = 2", [10.0, 12.0], [11.0, 15.0], 0.6744897501960817, 0.6744897501960817),
        ("noisy baseline: both sides unbounded", noisy_baseline, noisy_candidate, 1.959963984540054,
         1.959963984540054),
        ("noisy baseline: bounded below at z = 0.5, unbounded above at z = 1.96", noisy_baseline,
         noisy_candidate, 0.5, 1.959963984540054),
        ("candidate mean near 0: lower bound below 0", rng.lognormal(0, 0.3, 50).tolist(),
         rng.normal(0.05, 0.5, 50).tolist(), 1.959963984540054, 1.959963984540054),
        ("n = 100000 token counts", baseline_tokens, candidate_tokens, 3.2905267314918945, 3.2905267314918945),
        ("z = 0: both bounds at the estimate", [1.0, 2.0, 3.0], [2.0, 2.5, 7.0], 0.0, 0.0),
    ]
    rows = []
    for name, x, y, z_low, z_high in cases:
        x, y = [float(v) for v in x], [float(v) for v in y]
        low_roots, high_roots = fieller(x, y, z_low), fieller(x, y, z_high)
        # JSON has no infinity: an unbounded side is written as null.
        rows.append({"name": name, "moments": moments(x, y), "zLow": z_low, "zHigh": z_high,
                     "estimate": math.fsum(y) / math.fsum(x),
                     "low": None if low_roots is None else low_roots[0],
                     "high": None if high_roots is None else high_roots[1]})
    return rows


# --- order-statistic ranks for a quantile: scipy.stats.binom ----------------------------------------


def order_statistic_ranks():
    rows = []
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
        rows.append({"n": n, "p": p, "alphaLow": alpha_low, "alphaHigh": alpha_high, "low": low, "high": high})
    return rows


# --- Benjamini-Hochberg: statsmodels --------------------------------------------------------------


def benjamini_hochberg(rng):
    return [{"p": p_values, "adjusted": multipletests(p_values, method="fdr_bh")[1].tolist()}
            for p_values in [[0.01, 0.04, 0.03, 0.005, 0.2, 0.5, 0.04], [0.5], [0.01, 0.01, 0.01],
                             [0, 1, 0.3, 0.02], [0.9, 0.8, 0.95], (rng.uniform(0, 1, 60) ** 4).tolist()]]


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


def bca_same_stream_cases(rng):
    rows = []
    for name, values, seed, resamples, confidence in [
        ("n = 25 lognormal, rounded", rng.lognormal(0, 0.8, 25).round(3).tolist(), 17, 2000, 0.95),
        ("n = 30 small integers: many resampled means tie the estimate",
         [float(v) for v in rng.integers(0, 6, 30)], 5, 2000, 0.9),
        ("n = 2, symmetric: z0 near 0, a = 0", [0.0, 1.0], 3, 1000, 0.95),
        ("n = 60 heavy right tail", rng.pareto(2.5, 60).round(4).tolist(), 99, 3000, 0.99),
    ]:
        row = {"name": name, "values": values, "seed": seed, "resamples": resamples, "confidence": confidence}
        row.update(bca_same_stream(values, seed, resamples, confidence))
        rows.append(row)
    return rows


def bca_scipy(rng):
    """scipy's BCa draws its own resamples, so it is matched only within Monte Carlo error: the
    standard deviation of each bound over 30 runs is measured at the resample count the test uses,
    and the reference value itself comes from 20 times as many resamples."""
    data = rng.lognormal(0, 0.9, 40).round(4)
    test_resamples, reference_resamples = 100_000, 2_000_000

    def run(resamples, seed):
        result = stats.bootstrap((data,), np.mean, method="BCa", confidence_level=0.95, n_resamples=resamples,
                                 batch=20_000, rng=np.random.default_rng(seed))
        return float(result.confidence_interval.low), float(result.confidence_interval.high)

    spread = np.array([run(test_resamples, seed) for seed in range(30)]).std(axis=0, ddof=1)
    low, high = run(reference_resamples, 12345)
    return {"values": data.tolist(), "confidence": 0.95, "resamples": test_resamples, "low": low, "high": high,
            "standardErrorLow": float(spread[0]), "standardErrorHigh": float(spread[1]),
            "referenceResamples": reference_resamples}
