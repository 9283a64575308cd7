#!/usr/bin/env bash
# Storeplane WooCommerce store setup: the WP-CLI sequence, safe to run any number of times.
# Runs in the store image (WordPress + WooCommerce + WP-CLI) as uid 33, in /var/www/html, with the
# WORDPRESS_* environment of the web pods, from the setup Job (post-install and post-upgrade hook).
set -euo pipefail

: "${ADMIN_USER:?}" "${ADMIN_PASSWORD:?}" "${ADMIN_EMAIL:?}" "${STORE_URL:?}" "${STORE_TITLE:?}"
: "${WEB_URL:?}" "${SEED_DIR:?}"
WC_CURRENCY=${WC_CURRENCY:-USD}
WC_COUNTRY=${WC_COUNTRY:-US:CA}
WC_SHIPPING_TITLE=${WC_SHIPPING_TITLE:-Flat rate}
WC_SHIPPING_COST=${WC_SHIPPING_COST:-5.00}
SAMPLE_PRODUCTS=${SAMPLE_PRODUCTS:-yes}

# User input (the display name, the owner's e-mail) and secrets reach WP-CLI as data on stdin, never
# as arguments: WP-CLI would parse an argument starting with - as an option (--exec runs PHP).
# These three go in as one line each (--prompt), so a line break would shift them.
for v in ADMIN_USER ADMIN_PASSWORD ADMIN_EMAIL; do
  case ${!v} in *$'\n'* | *$'\r'*)
    echo "setup: $v must be a single line" >&2
    exit 1
    ;;
  esac
done

log() { printf '%s setup: %s\n' "$(date -u +%H:%M:%S)" "$*"; }
as_admin() { wp "$@" --user="$ADMIN_USER"; }

# 0. Wait for the web tier: it answers /wp-login.php only once its database is reachable.
log "waiting for $WEB_URL"
deadline=$(($(date +%s) + ${WAIT_TIMEOUT:-600}))
until code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$WEB_URL/wp-login.php") &&
  [[ "$code" =~ ^[23] ]]; do
  if [ "$(date +%s)" -ge "$deadline" ]; then
    log "web tier not ready after ${WAIT_TIMEOUT:-600}s (last HTTP status: ${code:-none})"
    exit 1
  fi
  sleep "${WAIT_INTERVAL:-5}"
done

# 1. WordPress itself (once).
if wp core is-installed; then
  log "WordPress already installed"
else
  log "installing WordPress"
  # --prompt reads the listed parameters from stdin, one a line, in the order of the command's
  # synopsis (user, password, e-mail); the password is then on no command line ps would show. WP-CLI
  # echoes a prompted command on stdout, password included: not into the Job's log. The title is a
  # placeholder: --prompt cannot carry a line break, blogname (below) can.
  printf '%s\n' "$ADMIN_USER" "$ADMIN_PASSWORD" "$ADMIN_EMAIL" |
    wp core install --url="$STORE_URL" --title=Store --skip-email \
      --prompt=admin_user,admin_password,admin_email >/dev/null
fi
# The title follows the store's display name (the operator never changes the credentials). With
# the value omitted, WP-CLI reads it from stdin to the end, byte for byte.
printf '%s' "$STORE_TITLE" | wp option update blogname >/dev/null

# 2. Permalinks (the image ships the rewrite rules in .htaccess; /wp-json/ needs them).
wp rewrite structure '/%postname%/' >/dev/null

# 3. WooCommerce is baked into the image: activate it (creates tables, roles and pages).
if ! wp plugin is-active woocommerce; then
  log "activating WooCommerce"
  wp plugin activate woocommerce
fi

# 4. Store settings.
log "store settings"
set_option() { printf '%s' "$2" | wp option update "$1" >/dev/null; }
set_option woocommerce_store_address "${WC_ADDRESS:-}"
set_option woocommerce_store_city "${WC_CITY:-}"
set_option woocommerce_store_postcode "${WC_POSTCODE:-}"
set_option woocommerce_default_country "$WC_COUNTRY"
set_option woocommerce_currency "$WC_CURRENCY"
set_option woocommerce_calc_taxes no
set_option woocommerce_enable_guest_checkout yes
set_option woocommerce_allow_tracking no
set_option woocommerce_show_marketplace_suggestions no
set_option woocommerce_task_list_hidden yes
printf '%s' '{"skipped":true}' | wp option update woocommerce_onboarding_profile --format=json >/dev/null

# 5. Launch the store: "coming soon" off.
set_option woocommerce_coming_soon no
set_option woocommerce_store_pages_only no

# 6. Shop, cart, checkout and my-account pages (no-op when they exist).
as_admin wc tool run install_pages >/dev/null

# 7. Cash on Delivery.
log "payment: Cash on Delivery"
as_admin wc payment_gateway update cod --enabled=true >/dev/null

# 8. Shipping: a flat rate for locations not covered by other zones (zone 0).
if as_admin wc shipping_zone_method list 0 --format=ids | grep -q '[0-9]'; then
  log "shipping method present"
else
  log "shipping: flat rate"
  settings=$(jq -cn --arg title "$WC_SHIPPING_TITLE" --arg cost "$WC_SHIPPING_COST" '{title: $title, cost: $cost}')
  as_admin wc shipping_zone_method create 0 --method_id=flat_rate --enabled=true --settings="$settings" >/dev/null
fi

# 9. Sample products from the chart's data file (idempotent by SKU), each with its image.
if [ "$SAMPLE_PRODUCTS" = yes ]; then
  count=$(jq length "$SEED_DIR/products.json")
  for i in $(seq 0 $((count - 1))); do
    p() { jq -r --argjson i "$i" ".[\$i].$1 // empty" "$SEED_DIR/products.json"; }
    sku=$(p sku)
    id=$(as_admin wc product list --sku="$sku" --format=ids)
    if [ -z "$id" ]; then
      log "product $sku"
      id=$(as_admin wc product create --name="$(p name)" --sku="$sku" --type=simple \
        --regular_price="$(p regular_price)" --status=publish --manage_stock=true \
        --stock_quantity="$(p stock_quantity)" --description="$(p description)" \
        --short_description="$(p short_description)" --porcelain)
    fi
    image=$(p image)
    if [ -n "$image" ] && [ -z "$(wp post meta get "$id" _thumbnail_id 2>/dev/null || true)" ]; then
      log "image of $sku"
      wp media import "$SEED_DIR/$image" --post_id="$id" --featured_image --title="$(p name)" \
        --user="$ADMIN_USER" --porcelain >/dev/null
    fi
  done
fi

# 10. Final flush of the rewrite rules.
wp rewrite flush >/dev/null
log "done: $STORE_URL"
