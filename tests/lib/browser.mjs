// Launches Debian's Chromium headless through playwright-core for the
// browser tests.  The flags keep Chromium off the network (this machine has
// none) and skip first-run work; --no-sandbox because tests run as root.
import { chromium } from 'playwright-core';

export function launchChromium() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-quic'],
  });
}
