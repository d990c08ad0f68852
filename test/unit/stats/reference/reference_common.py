"""Helpers shared by make_reference.py and bounds_reference.py."""


def agree(name, value, exact, tolerance):
    """Fail loudly if a library and mpmath disagree: then neither is a trustworthy reference."""
    exact = float(exact)
    scale = max(abs(exact), 1e-300)
    if abs(value - exact) / scale > tolerance and not (value == 0 and abs(exact) < 1e-300):
        raise SystemExit(f"{name}: library {value!r} vs mpmath {exact!r}")


def mulberry32(seed):
    """mulberry32 (Tommy Ettinger, 2017) from its definition, as bootstrap.ts draws it."""
    state = seed & 0xFFFFFFFF
    while True:
        state = (state + 0x6D2B79F5) & 0xFFFFFFFF
        t = state
        t = ((t ^ (t >> 15)) * (t | 1)) & 0xFFFFFFFF
        t ^= (t + (((t ^ (t >> 7)) * (t | 61)) & 0xFFFFFFFF)) & 0xFFFFFFFF
        yield ((t ^ (t >> 14)) & 0xFFFFFFFF) / 4294967296


