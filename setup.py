"""Egg build for scrapyd: `scrapyd-deploy` runs `python setup.py bdist_egg` here (and writes a setup.py of its
own, without our package data, when there is none). Everything (packages, package data, the [scrapy]
settings entry point scrapyd reads) comes from pyproject.toml.
"""

from setuptools import setup

setup()
