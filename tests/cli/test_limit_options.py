"""The query limits options make one QueryLimits (query/budget.py), whose defaults are the
options' defaults: ``serve`` and ``sparql`` give the same value for the same options."""

from mc2cm_graph.cli import build_parser
from mc2cm_graph.cli._limits import limits_from
from mc2cm_graph.query.budget import MIB, QueryLimits


def parsed(*argv: str):
    return build_parser().parse_args(list(argv))


def test_the_defaults_are_query_limits_defaults():
    assert limits_from(parsed("serve")) == QueryLimits()
    assert limits_from(parsed("sparql", "q.rq")) == QueryLimits()


def test_serve_options_become_one_value():
    args = parsed("serve", "--timeout", "2.5", "--max-results", "7", "--max-bytes", "3",
                  "--query-memory", "64")
    assert limits_from(args) == QueryLimits(timeout=2.5, max_results=7, max_bytes=3 * MIB,
                                            memory_budget=64 * MIB)


def test_sparql_takes_time_and_memory_only():
    limits = limits_from(parsed("sparql", "q.rq", "--timeout", "4", "--query-memory", "32"))
    assert limits == QueryLimits(timeout=4, memory_budget=32 * MIB)
