#!/usr/bin/env bash
# Runs WordPress's due cron events and WooCommerce's Action Scheduler queue (WP-Cron is disabled
# in wp-config.php: in a cluster its loopback requests to the public URL are unreliable).
set -euo pipefail

if ! wp core is-installed; then
  echo "WordPress is not installed yet; nothing to run"
  exit 0
fi
wp cron event run --due-now
if wp plugin is-active woocommerce; then
  wp action-scheduler run --batches=5
fi
