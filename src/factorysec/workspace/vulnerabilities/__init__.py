"""Vulnerability intake in the workspace: advisories matched to a factory's stored model, as a background job."""
