#!/bin/sh
# Install and configure a real WordPress (Debian's package) for syndic's
# publish integration tests. Idempotent: run it as often as you like.
#
# - Debian packages: wordpress, php-cli, php-mysql (served by PHP's built-in
#   server on loopback by the test fixture; no Apache needed).
# - Database: the machine's MariaDB on 127.0.0.1:3306 (root, empty password).
# - Writes /etc/wordpress/config-127.0.0.1.php (Debian reads it by host name),
#   installs the site, creates an admin and an application password, and
#   writes the credentials to $SYNDIC_WP_STATE/credentials.json.
set -eu

STATE="${SYNDIC_WP_STATE:-/var/lib/syndic-wp-test}"
DB_NAME="${SYNDIC_WP_DB:-syndic_wp_test}"
DB_USER="syndic_wp"
DB_PASS="syndic_wp_pw"
MYSQL="mysql -h127.0.0.1 -P3306 -uroot"

if ! command -v php >/dev/null 2>&1 || [ ! -f /usr/share/wordpress/wp-settings.php ] \
   || ! php -m | grep -qi mysqli; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update >/dev/null
    apt-get install -y --no-install-recommends wordpress php-cli php-cgi php-mysql php-xml \
        php-mbstring php-curl php-gd >/dev/null
fi

$MYSQL -e "CREATE DATABASE IF NOT EXISTS \`$DB_NAME\` CHARACTER SET utf8mb4;
CREATE USER IF NOT EXISTS '$DB_USER'@'127.0.0.1' IDENTIFIED BY '$DB_PASS';
CREATE USER IF NOT EXISTS '$DB_USER'@'localhost' IDENTIFIED BY '$DB_PASS';
GRANT ALL ON \`$DB_NAME\`.* TO '$DB_USER'@'127.0.0.1';
GRANT ALL ON \`$DB_NAME\`.* TO '$DB_USER'@'localhost';
FLUSH PRIVILEGES;"

mkdir -p "$STATE" /var/lib/wordpress/wp-content/uploads
cat > /etc/wordpress/config-127.0.0.1.php <<PHP
<?php
define('DB_NAME', '$DB_NAME');
define('DB_USER', '$DB_USER');
define('DB_PASSWORD', '$DB_PASS');
define('DB_HOST', '127.0.0.1:3306');
define('WP_CONTENT_DIR', '/var/lib/wordpress/wp-content');
// Application passwords need HTTPS, or an environment declared local.
define('WP_ENVIRONMENT_TYPE', 'local');
// The test server listens on a free port chosen at run time.
\$syndic_host = isset(\$_SERVER['HTTP_HOST']) ? \$_SERVER['HTTP_HOST'] : '127.0.0.1';
define('WP_HOME', 'http://' . \$syndic_host);
define('WP_SITEURL', 'http://' . \$syndic_host);
define('FS_METHOD', 'direct');
define('AUTOMATIC_UPDATER_DISABLED', true);
define('DISABLE_WP_CRON', true);
PHP

# The router PHP's built-in server needs for pretty permalinks (/wp-json/...).
cat > "$STATE/router.php" <<'PHP'
<?php
$path = parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH);
// Debian keeps uploads under /var/lib/wordpress/wp-content (Apache aliases it; so do we).
if (strpos($path, '/wp-content/') === 0 && strpos($path, '..') === false) {
    $content = '/var/lib/wordpress' . $path;
    if (is_file($content)) {
        $type = function_exists('mime_content_type') ? mime_content_type($content) : 'application/octet-stream';
        header('Content-Type: ' . $type);
        header('Content-Length: ' . filesize($content));
        readfile($content);
        return true;
    }
}
$file = '/usr/share/wordpress' . $path;
if ($path !== '/' && file_exists($file) && !is_dir($file)) {
    return false;
}
if (is_dir($file) && file_exists($file . '/index.php') && $path !== '/') {
    return false;
}
$_SERVER['SCRIPT_NAME'] = '/index.php';
require '/usr/share/wordpress/index.php';
PHP

cat > "$STATE/install.php" <<'PHP'
<?php
// Run by php-cli: install the site once, then make sure an application password exists.
$_SERVER['HTTP_HOST'] = '127.0.0.1';
$_SERVER['REQUEST_URI'] = '/';
define('WP_INSTALLING', true);
require '/usr/share/wordpress/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
$state = $argv[1];
if (!is_blog_installed()) {
    wp_install('syndic test blog', 'admin', 'admin@example.invalid', true, '', 'admin-pw-' . wp_generate_password(12, false));
}
update_option('permalink_structure', '/%postname%/');
$user = get_user_by('login', 'admin');
$creds_file = $state . '/credentials.json';
if (file_exists($creds_file)) {
    $creds = json_decode(file_get_contents($creds_file), true);
    foreach (WP_Application_Passwords::get_user_application_passwords($user->ID) as $item) {
        if ($item['uuid'] === ($creds['uuid'] ?? '')) { echo "ok\n"; exit(0); }
    }
}
list($password, $item) = WP_Application_Passwords::create_new_application_password($user->ID, array('name' => 'syndic-tests'));
file_put_contents($creds_file, json_encode(array('username' => 'admin', 'app_password' => $password, 'uuid' => $item['uuid'])));
echo "created\n";
PHP

php "$STATE/install.php" "$STATE"
