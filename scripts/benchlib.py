"""What the benchmark scripts share."""

import time


def best_time(run, runs):
    """Runs `run` once to warm caches, then `runs` times; returns the best time in seconds."""
    run()
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - started)
    return best
