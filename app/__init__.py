"""Brigade: restaurant point of sale, kitchen display and back office."""
