"""Benchmarks (not tests): they drive real servers and print what they measured."""
