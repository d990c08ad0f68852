"""Reference values for shadowdiff's statistics, computed independently with SciPy and statsmodels.

    pip install scipy statsmodels numpy && python3 make_reference.py

writes reference.json next to this file; the unit tests read it (they never run Python).
Produced with scipy 1.17.1, statsmodels 0.15.0, numpy 2.4.6.
"""
import json
import pathlib

import numpy as np
import scipy
import statsmodels
from scipy import stats
from statsmodels.stats.contingency_tables import mcnemar
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportion_confint

rng = np.random.default_rng(20261125)
ref = {"versions": {"scipy": scipy.__version__, "statsmodels": statsmodels.__version__, "numpy": np.__version__}}

ref["normal"] = [
    {"z": z, "cdf": float(stats.norm.cdf(z)), "sf": float(stats.norm.sf(z))}
    for z in [-8.0, -5.0, -1.959963984540054, -1.0, -0.3, 0.0, 0.4, 1.0, 2.5, 5.0, 7.0]
]
ref["normal_ppf"] = [{"p": p, "z": float(stats.norm.ppf(p))} for p in [1e-10, 1e-4, 0.01, 0.025, 0.3, 0.5, 0.8, 0.975, 0.999, 1 - 1e-9]]

ref["wilson"] = []
for k, n in [(0, 600), (600, 600), (12, 100), (1, 3), (5, 600), (298, 600), (4321, 100000), (50, 50)]:
    for conf in [0.95, 0.99]:
        low, high = proportion_confint(k, n, alpha=1 - conf, method="wilson")
        ref["wilson"].append({"k": k, "n": n, "confidence": conf, "low": float(low), "high": float(high)})

ref["binomial_cdf"] = [
    {"k": k, "n": n, "p": p, "cdf": float(stats.binom.cdf(k, n, p))}
    for k, n, p in [(3, 10, 0.5), (0, 20, 0.5), (40, 100, 0.5), (4000, 8400, 0.5), (10, 1000, 0.02), (99, 100, 0.5)]
]

ref["mcnemar"] = []
for b, c in [(0, 0), (1, 0), (5, 0), (3, 7), (10, 10), (12, 30), (4000, 4400), (0, 25)]:
    result = mcnemar([[100, b], [c, 100]], exact=True)
    ref["mcnemar"].append({"b": b, "c": c, "p": float(result.pvalue)})

def wilcoxon_case(name, x, method="auto"):
    x = np.asarray(x, dtype=float)
    result = stats.wilcoxon(x, method=method)
    return {"name": name, "x": x.tolist(), "statistic": float(result.statistic), "p": float(result.pvalue)}

ref["wilcoxon"] = [
    wilcoxon_case("n10 exact", [0.12, -0.3, 0.45, 0.08, 0.61, -0.05, 0.33, 0.27, -0.14, 0.5]),
    wilcoxon_case("n25 exact", rng.normal(0.2, 1.0, 25).round(6)),
    # With tied magnitudes the exact null distribution no longer applies; shadowdiff then uses the
    # tie-corrected normal approximation, which is scipy's method="approx".
    wilcoxon_case("ties and zeros (approx)", [0.1, 0.1, -0.1, 0.2, 0, 0, 0.3, -0.2, 0.2, 0.4, 0.1, -0.3], "approx"),
    wilcoxon_case("n200 approx", rng.normal(0.05, 0.3, 200).round(6)),
    wilcoxon_case("n60 no ties approx", rng.normal(-0.1, 0.5, 60)),
]

ps = [0.01, 0.04, 0.03, 0.005, 0.2, 0.5, 0.04]
ref["holm"] = {"p": ps, "adjusted": multipletests(ps, method="holm")[1].tolist()}

sample = rng.normal(10, 3, 101).round(4).tolist()
ref["quantile"] = {"x": sample, "q": [0, 0.05, 0.5, 0.95, 0.99, 1], "values": [float(np.quantile(sample, q)) for q in [0, 0.05, 0.5, 0.95, 0.99, 1]]}

pathlib.Path(__file__).with_name("reference.json").write_text(json.dumps(ref, indent=1) + "\n")
