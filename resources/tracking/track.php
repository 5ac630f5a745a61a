<?php
/*
 * Bulletin's measurement endpoint: opens and clicks of the recipients who consented to it.
 *
 * Upload this one file to your website (PHP 7.4 or later), for example as
 * https://your-site.example/track.php, then in Bulletin:
 *     bulletin tracking setup --url https://your-site.example/track.php --secret-stdin
 * `bulletin tracking endpoint > track.php` prints this file with your secret filled in.
 *
 *   ?o=TOKEN                    a 1x1 transparent GIF; logs an open.
 *   ?c=TOKEN&l=N&u=URL&s=SIG    logs a click on link N and redirects to URL, only when SIG is
 *                               the HMAC-SHA256 (your secret) of TOKEN, N and URL: nobody can
 *                               use this file to send people elsewhere (no open redirect).
 *   ?export=1&since=N[&limit=M] the events after number N, as JSON lines; needs the secret in
 *                               the X-Bulletin-Secret header or a POST field "secret".
 *   ?purge=1&upto=N[&tokens=…]  forgets the events up to number N (Bulletin has them); same
 *                               secret. With "tokens" (one a line: the ones that Bulletin
 *                               profile recognised), only their events go, and other events
 *                               once they are 30 days old: a second profile reading the same
 *                               endpoint still finds its own.
 *
 * What it keeps, in bulletin-track-data.php next to it: per event a number, the kind, the
 * random token Bulletin put in the message, the link number and the hour (UTC). No IP address,
 * no browser, no exact time. The data file starts with a line of PHP that answers "404" to
 * anyone asking for it over the web.
 */

declare(strict_types=1);

const BULLETIN_SECRET = '';
const BULLETIN_DATA = __DIR__ . '/bulletin-track-data.php';
const BULLETIN_GUARD = "<?php http_response_code(404); exit; ?>\n";
const BULLETIN_COUNTER_WIDTH = 20; // digits of the event counter, rewritten in place
const BULLETIN_MAX_LIMIT = 10000;  // events per export page
const BULLETIN_MAX_LINK = 9999;
const BULLETIN_KEEP_OTHERS_DAYS = 30; // events no purge named, kept this long for their reader
const BULLETIN_MAX_TOKENS = 20000;    // tokens named by one purge

function bulletin_b64url(string $raw): string
{
    return rtrim(strtr(base64_encode($raw), '+/', '-_'), '=');
}

function bulletin_signature(string $token, string $link, string $url): string
{
    $mac = hash_hmac('sha256', $token . "\n" . $link . "\n" . $url, BULLETIN_SECRET, true);
    return bulletin_b64url(substr($mac, 0, 16));
}

function bulletin_token($value): ?string
{
    if (is_string($value) && preg_match('/^[A-Za-z0-9_-]{16,64}$/', $value) === 1) {
        return $value;
    }
    return null;
}

function bulletin_number($value, int $max): ?int
{
    if (is_string($value) && preg_match('/^[0-9]{1,19}$/', $value) === 1) {
        $n = (int) $value;
        return $n <= $max ? $n : null;
    }
    return null;
}

function bulletin_no_cache(): void
{
    header('Cache-Control: no-store, no-cache, must-revalidate, private');
    header('Pragma: no-cache');
    header('Expires: 0');
    header('X-Robots-Tag: noindex');
    header('Referrer-Policy: no-referrer');
}

function bulletin_fail(int $code, string $text): void
{
    http_response_code($code);
    bulletin_no_cache();
    header('Content-Type: text/plain; charset=utf-8');
    echo $text, "\n";
    exit;
}

/** The data file, opened and locked (creating it with its guard line and counter). */
function bulletin_open(int $lock)
{
    $handle = @fopen(BULLETIN_DATA, 'c+');
    if ($handle === false) {
        return null;
    }
    if (!flock($handle, $lock)) {
        fclose($handle);
        return null;
    }
    $stat = fstat($handle);
    if ($stat['size'] === 0) {
        if ($lock !== LOCK_EX) {  // nothing logged yet; a reader writes nothing
            return $handle;
        }
        fwrite($handle, BULLETIN_GUARD . str_repeat('0', BULLETIN_COUNTER_WIDTH) . "\n");
        fflush($handle);
    }
    return $handle;
}

function bulletin_close($handle): void
{
    flock($handle, LOCK_UN);
    fclose($handle);
}

function bulletin_counter($handle): int
{
    fseek($handle, strlen(BULLETIN_GUARD));
    $line = fgets($handle);
    return $line === false ? 0 : (int) trim($line);
}

function bulletin_log(string $kind, string $token, int $link): void
{
    $handle = bulletin_open(LOCK_EX);
    if ($handle === null) {
        return;  // a full or read-only disk must not break the reader's email
    }
    $number = bulletin_counter($handle) + 1;
    $event = json_encode([
        'n' => $number,
        'k' => $kind,
        't' => $token,
        'l' => $link,
        'at' => gmdate('Y-m-d\TH:00:00\Z'),
    ]) . "\n";
    fseek($handle, 0, SEEK_END);
    if (fwrite($handle, $event) === strlen($event)) {
        fseek($handle, strlen(BULLETIN_GUARD));
        fwrite($handle, str_pad((string) $number, BULLETIN_COUNTER_WIDTH, '0', STR_PAD_LEFT));
    }
    fflush($handle);
    bulletin_close($handle);
}

function bulletin_authorised(): bool
{
    $given = $_SERVER['HTTP_X_BULLETIN_SECRET'] ?? ($_POST['secret'] ?? '');
    return BULLETIN_SECRET !== '' && is_string($given) && hash_equals(BULLETIN_SECRET, $given);
}

function bulletin_param(string $name): ?string
{
    $value = $_POST[$name] ?? ($_GET[$name] ?? null);
    return is_string($value) ? $value : null;
}

function bulletin_export(): void
{
    $since = bulletin_number(bulletin_param('since') ?? '0', PHP_INT_MAX);
    $limit = bulletin_number(bulletin_param('limit') ?? (string) BULLETIN_MAX_LIMIT, PHP_INT_MAX);
    if ($since === null || $limit === null) {
        bulletin_fail(400, 'Invalid cursor.');
    }
    $limit = max(0, min($limit, BULLETIN_MAX_LIMIT));
    bulletin_no_cache();
    header('Content-Type: application/x-ndjson; charset=utf-8');
    $handle = bulletin_open(LOCK_SH);
    if ($handle === null) {
        if (file_exists(BULLETIN_DATA)) {
            bulletin_fail(500, 'The data file cannot be read.');
        }
        return;  // nothing logged yet
    }
    fseek($handle, strlen(BULLETIN_GUARD) + BULLETIN_COUNTER_WIDTH + 1);
    $sent = 0;
    while ($sent < $limit && ($line = fgets($handle)) !== false) {
        $event = json_decode($line, true);
        if (is_array($event) && isset($event['n']) && $event['n'] > $since) {
            echo $line;
            $sent++;
        }
    }
    bulletin_close($handle);
}

function bulletin_purge(): void
{
    $upto = bulletin_number(bulletin_param('upto') ?? '', PHP_INT_MAX);
    if ($upto === null) {
        bulletin_fail(400, 'Invalid cursor.');
    }
    $named = bulletin_param('tokens');
    $mine = null;  // null: every event up to $upto goes (what Bulletin asked before "tokens")
    if ($named !== null) {
        $mine = [];
        foreach (array_slice(explode("\n", $named), 0, BULLETIN_MAX_TOKENS) as $value) {
            $token = bulletin_token(trim($value));
            if ($token !== null) {
                $mine[$token] = true;
            }
        }
    }
    $cutoff = gmdate('Y-m-d\TH:00:00\Z', time() - BULLETIN_KEEP_OTHERS_DAYS * 86400);
    $handle = bulletin_open(LOCK_EX);
    if ($handle === null) {
        bulletin_fail(500, 'The data file cannot be written.');
    }
    $counter = bulletin_counter($handle);
    $kept = '';
    $removed = 0;
    while (($line = fgets($handle)) !== false) {
        $event = json_decode($line, true);
        if (!is_array($event) || !isset($event['n'])) {
            $removed++;  // a damaged line helps nobody
        } elseif ($event['n'] > $upto) {
            $kept .= $line;
        } elseif ($mine === null || isset($mine[(string) ($event['t'] ?? '')])
            || strcmp((string) ($event['at'] ?? ''), $cutoff) < 0) {
            $removed++;
        } else {
            $kept .= $line;  // another reader's, not yet 30 days old
        }
    }
    ftruncate($handle, 0);
    rewind($handle);
    fwrite($handle, BULLETIN_GUARD);
    fwrite($handle, str_pad((string) $counter, BULLETIN_COUNTER_WIDTH, '0', STR_PAD_LEFT) . "\n");
    fwrite($handle, $kept);
    fflush($handle);
    bulletin_close($handle);
    bulletin_no_cache();
    header('Content-Type: application/json');
    echo json_encode(['removed' => $removed]), "\n";
}

if (isset($_GET['o'])) {
    $token = bulletin_token($_GET['o']);
    if ($token !== null) {
        bulletin_log('o', $token, -1);
    }
    bulletin_no_cache();
    header('Content-Type: image/gif');
    echo base64_decode('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7');
    exit;
}

if (isset($_GET['c'])) {
    if (BULLETIN_SECRET === '') {
        bulletin_fail(503, 'This endpoint has no secret yet.');
    }
    $token = bulletin_token($_GET['c']);
    $link = bulletin_number($_GET['l'] ?? null, BULLETIN_MAX_LINK);
    $url = $_GET['u'] ?? null;
    $signature = $_GET['s'] ?? null;
    $ok = $token !== null && $link !== null && is_string($url) && is_string($signature)
        && preg_match('~^https?://[^\x00-\x20\x7f]+$~i', $url) === 1
        && hash_equals(bulletin_signature($token, (string) $link, $url), $signature);
    if (!$ok) {
        bulletin_fail(400, 'This link is not valid.');
    }
    bulletin_log('c', $token, $link);
    bulletin_no_cache();
    header('Location: ' . $url, true, 302);
    exit;
}

if (isset($_GET['export']) || isset($_GET['purge'])) {
    if (!bulletin_authorised()) {
        bulletin_fail(403, 'Wrong or missing secret.');
    }
    if (isset($_GET['export'])) {
        bulletin_export();
    } else {
        bulletin_purge();
    }
    exit;
}

bulletin_fail(404, 'Not found.');
