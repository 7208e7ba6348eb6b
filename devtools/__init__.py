"""Tools for developers, never for production: the world generator, the benchmarks and the
translation helpers. Installed by the development and test settings only (config/settings/dev.py);
nothing in the product imports it."""
