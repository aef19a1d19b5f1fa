"""Browser tests of the web app: Debian's Chromium driven by Playwright against `stead serve`."""
