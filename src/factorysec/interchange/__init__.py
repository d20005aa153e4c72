"""Interchange with general threat-modelling tools: Open Threat Model (OTM) and Threagile, out and in, with a mapping report."""
