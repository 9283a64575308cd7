#!/usr/bin/env bash
# Storeplane WooCommerce order check: places a real order the way a shopper does, through the
# public Store API (cart, add item, checkout with Cash on Delivery), then confirms it through the
# admin side (WooCommerce REST API, logged in as the store admin). Exit status 0 only when both
# succeed. There is no other way of creating the order: if the shopper path fails, the check fails.
#
#   ADMIN_USER=... ADMIN_PASSWORD=... order-check.sh --url https://shop.example.com
#
# Options:
#   --url URL             the store's public base URL (required)
#   --connect-to H:P      connect to H:P instead of the URL's host (keeps the Host header and
#                         cookies of the URL; the in-cluster `helm test` uses the web Service)
#   --product-id ID       order this product (default: the first purchasable in-stock product)
#   --insecure            do not verify the TLS certificate (self-signed local clusters)
# Environment: ADMIN_USER, ADMIN_PASSWORD (the admin-user and admin-password keys of the store's
# credentials Secret). Needs bash, curl and jq.
set -euo pipefail

url=''
connect_to=''
product_id=''
insecure=false
while [ $# -gt 0 ]; do
  case "$1" in
    --url) url=${2:?--url needs a value}; shift 2 ;;
    --connect-to) connect_to=${2:?--connect-to needs a value}; shift 2 ;;
    --product-id) product_id=${2:?--product-id needs a value}; shift 2 ;;
    --insecure) insecure=true; shift ;;
    -h | --help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "order-check: unknown argument: $1" >&2; exit 2 ;;
  esac
done
[ -n "$url" ] || { echo "order-check: --url is required" >&2; exit 2; }
: "${ADMIN_USER:?order-check: set ADMIN_USER}" "${ADMIN_PASSWORD:?order-check: set ADMIN_PASSWORD}"
for tool in curl jq; do
  command -v "$tool" >/dev/null || { echo "order-check: $tool is required" >&2; exit 2; }
done

url=${url%/}
api="$url/wp-json/wc/store/v1"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
jar="$work/cookies"
headers="$work/headers"

curl_opts=(--silent --show-error --max-time 60)
[ -n "$connect_to" ] && curl_opts+=(--connect-to "::$connect_to")
[ "$insecure" = true ] && curl_opts+=(--insecure)

step() { printf 'order-check: %s\n' "$*"; }
fail() {
  printf 'order-check: FAILED: %s\n' "$*" >&2
  exit 1
}

# request METHOD URL [curl args...]: prints the body; fails on a non-2xx status with the body.
request() {
  local method=$1 target=$2 status
  shift 2
  status=$(curl "${curl_opts[@]}" -X "$method" -D "$headers" -o "$work/body" -w '%{http_code}' "$@" "$target") ||
    fail "$method $target: connection failed"
  case "$status" in
    2??) cat "$work/body" ;;
    *) fail "$method $target: HTTP $status: $(head -c 600 "$work/body")" ;;
  esac
}
header() { tr -d '\r' <"$headers" | { grep -i "^$1:" || true; } | tail -n 1 | cut -d ' ' -f 2-; }

# 1. A cart: the response headers carry the Nonce and the Cart-Token for the writes that follow.
step "cart: GET $api/cart"
# The first request retries a refused connection (idempotent GET): a new pod can race the
# NetworkPolicy controller adding it to the web pods' allowed sources.
request GET "$api/cart" --retry 15 --retry-connrefused --retry-delay 2 >/dev/null
nonce=$(header Nonce)
cart_token=$(header Cart-Token)
[ -n "$cart_token" ] || fail "GET /cart returned no Cart-Token header"
store_headers=(-H "Cart-Token: $cart_token" -H "Nonce: $nonce" -H 'Content-Type: application/json')

# 2. A product a shopper can buy.
if [ -z "$product_id" ]; then
  product_id=$(request GET "$api/products?per_page=50" |
    jq -r '[.[] | select(.is_purchasable and .is_in_stock and .type == "simple")][0].id // empty')
  [ -n "$product_id" ] || fail "the store lists no purchasable, in-stock simple product"
fi
step "product $product_id"

# 3. Add it to the cart.
request POST "$api/cart/add-item" "${store_headers[@]}" \
  --data "$(jq -cn --argjson id "$product_id" '{id: $id, quantity: 1}')" >"$work/cart.json"
jq -e --argjson id "$product_id" 'any(.items[]; .id == $id)' "$work/cart.json" >/dev/null ||
  fail "the cart does not contain product $product_id after add-item"
step "cart holds $(jq -r '.items_count' "$work/cart.json") item(s)"

# 4. Check out with Cash on Delivery.
email="order-check+$(date +%s)-$RANDOM@example.com"
address='{"first_name":"Order","last_name":"Check","address_1":"1 Main St","city":"San Francisco",
  "state":"CA","postcode":"94103","country":"US"}'
checkout=$(jq -cn --argjson a "$address" --arg email "$email" \
  '{billing_address: ($a + {email: $email, phone: "5550100"}), shipping_address: $a,
    payment_method: "cod"}')
request POST "$api/checkout" "${store_headers[@]}" --data "$checkout" >"$work/checkout.json"
order_id=$(jq -r '.order_id // empty' "$work/checkout.json")
[ -n "$order_id" ] || fail "checkout returned no order id: $(head -c 600 "$work/checkout.json")"
payment=$(jq -r '.payment_result.payment_status // empty' "$work/checkout.json")
[ "$payment" = success ] || fail "checkout payment status is '$payment', expected 'success'"
step "order $order_id placed (status $(jq -r .status "$work/checkout.json"))"

# 5. The admin side: log in as the admin (cookie session + REST nonce), read the order back.
# No `testcookie` field: WordPress marks its test cookie Secure on an https site, and the in-cluster
# check talks plain HTTP to the web Service; the session cookies follow the request's scheme.
step "admin: logging in as $ADMIN_USER"
# The password goes to curl on stdin (pwd@-), never on its command line where ps would show it.
status=$(printf '%s' "$ADMIN_PASSWORD" | curl "${curl_opts[@]}" -c "$jar" -o /dev/null -w '%{http_code}' \
  --data-urlencode "log=$ADMIN_USER" --data-urlencode "pwd@-" \
  --data-urlencode "redirect_to=$url/wp-admin/" \
  "$url/wp-login.php") || fail "POST wp-login.php: connection failed"
if [ "$status" != 302 ] || ! grep -q 'wordpress_logged_in_' "$jar"; then
  fail "admin login failed (HTTP $status): check ADMIN_USER and ADMIN_PASSWORD"
fi
rest_nonce=$(request GET "$url/wp-admin/admin-ajax.php?action=rest-nonce" -b "$jar")
# A WordPress nonce is 10 hex digits; "0" means the session is not logged in.
[[ "$rest_nonce" =~ ^[0-9a-f]{10}$ ]] || fail "no REST nonce for the admin session (got '$rest_nonce')"

request GET "$url/wp-json/wc/v3/orders/$order_id" -b "$jar" -H "X-WP-Nonce: $rest_nonce" >"$work/order.json"
jq -e --arg email "$email" --argjson pid "$product_id" '
  (.status == "processing" or .status == "on-hold")
  and .payment_method == "cod"
  and .billing.email == $email
  and any(.line_items[]; .product_id == $pid)' "$work/order.json" >/dev/null ||
  fail "the admin API shows order $order_id differently: $(jq -c '{status, payment_method,
    email: .billing.email, products: [.line_items[].product_id]}' "$work/order.json")"
step "OK: order $order_id is $(jq -r .status "$work/order.json") in the admin, paid by Cash on Delivery"
