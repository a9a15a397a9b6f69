"""Revenue tracking: producers record sales, staff see the pilot's effect and export the report.

A sub-package of ``producers`` (as the portal is): it imports ``products`` and never
``showcase``; the commune of a sale is reached through the app registry.
"""
