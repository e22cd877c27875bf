"""Page weights of the website: what a reader's phone downloads, raw and gzip-compressed.

    .venv/bin/python bench/page_weights.py                # builds the bundled content into a temp folder
    .venv/bin/python bench/page_weights.py --site site    # measure an existing build

Each page (home, a document, a commitment, the explorer) is opened in headless Chromium with an
empty cache, served under /cong-khai/ke-hoach/ by a local server. Every response is recorded;
"gzip" is the size of each body compressed with gzip level 6 (what a portal's web server sends
with compression on; already compressed formats are counted as they are). The "first visit"
columns hold everything the page loads with an empty cache (search is loaded only when the reader
opens it: reported on its own line); "HTML only" is what each further page of the site costs once
the shared files are cached. Also reported: the time to fold the search index in the browser
(search-fold.js), on this machine and with the CPU slowed down 4x as a stand-in for a cheap phone.
"""
from __future__ import annotations

import argparse
import gzip
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from website_server import serve  # noqa: E402

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
COMPRESSED = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".woff", ".woff2", ".gz", ".pdf")


def pages(site: Path) -> dict[str, str]:
    docs = sorted(p.parent.relative_to(site).as_posix() for p in site.glob("xa/*/*/index.html"))
    plan = next((d for d in docs if (site / d / "nhiem-vu").is_dir()), docs[0])
    task = sorted((site / plan / "nhiem-vu").iterdir())[0].relative_to(site).as_posix()
    return {"home": "index.html", "document": f"{plan}/index.html", "commitment": f"{task}/index.html",
            "explorer": "nhiem-vu/index.html"}


def _size(url: str, body: bytes) -> tuple[int, int]:
    if url.split("?")[0].endswith(COMPRESSED):
        return len(body), len(body)
    return len(body), len(gzip.compress(body, 6))


def measure(site: Path) -> list[dict]:
    from playwright.sync_api import sync_playwright

    rows = []
    with serve(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for name, path in pages(site).items():
            ctx = browser.new_context()  # empty cache
            page = ctx.new_page()
            seen = []
            ctx.on("response", lambda r: seen.append(r))
            page.goto(base + path)
            page.wait_for_load_state("networkidle")
            raw = gz = html_raw = html_gz = 0
            files = 0
            first = list(seen)
            if name == "home":  # then open search: what it adds
                page.focus("input.md-search__input")
                page.wait_for_function("() => /Nhập/.test(document.querySelector('.md-search-result__meta').textContent)")
                page.wait_for_load_state("networkidle")
                extra = [r for r in seen if r not in first]
                search_raw = search_gz = 0
                for r in extra:
                    a, b = _size(r.url, r.body())
                    search_raw, search_gz = search_raw + a, search_gz + b
                rows.append({"page": "search", "files": len(extra), "raw": search_raw, "gzip": search_gz})
            for r in first:
                try:
                    body = r.body()
                except Exception:  # redirects and the like have no body
                    continue
                a, b = _size(r.url, body)
                raw, gz, files = raw + a, gz + b, files + 1
                if r.url.split("?")[0].endswith(path):
                    html_raw, html_gz = a, b
            rows.append({"page": name, "path": path, "files": files, "raw": raw, "gzip": gz,
                         "html_raw": html_raw, "html_gzip": html_gz})
            ctx.close()
        rows.append(fold_timing(browser, base))
        browser.close()
    return rows


def fold_timing(browser, base: str) -> dict:
    """Milliseconds search-fold.js needs to fold the whole search index, normal and CPU x4."""
    out = {"page": "fold"}
    for rate in (1, 4):
        ctx = browser.new_context()
        page = ctx.new_page()
        page.goto(base + "index.html")
        cdp = ctx.new_cdp_session(page)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": rate})
        ms = page.evaluate("""async () => {
            const index = await (await fetch('search/search_index.json')).json();
            const t = performance.now();
            for (const doc of index.docs) { window.__ppFold(doc.title); window.__ppFold(doc.text); }
            return performance.now() - t; }""")
        out[f"ms_x{rate}"] = round(ms)
        ctx.close()
    return out


def kb(n: int) -> str:
    return f"{n / 1024:.1f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", type=Path, help="a built site (default: build the bundled content now)")
    args = parser.parse_args()
    site = args.site
    tmp = None
    if site is None:
        tmp = tempfile.TemporaryDirectory()
        site = Path(tmp.name) / "site"
        subprocess.run([sys.executable, str(ROOT / "build.py"), "--site", str(site), "--as-of", "2026-11-23", "-q",
                        "--only", "website", "--only", "data"], check=True)
    rows = measure(site)
    index = site / "search" / "search_index.json"
    data = index.read_bytes()
    print("| page | files | first visit, raw KB | first visit, gzip KB | HTML only, raw KB | HTML only, gzip KB |")
    print("|---|---:|---:|---:|---:|---:|")
    for r in rows:
        if r["page"] in ("fold", "search"):
            continue
        print(f"| {r['page']} (`{r['path']}`) | {r['files']} | {kb(r['raw'])} | {kb(r['gzip'])} | "
              f"{kb(r['html_raw'])} | {kb(r['html_gzip'])} |")
    search = next(r for r in rows if r["page"] == "search")
    print(f"\nopening search (once per visit; then cached): {search['files']} files, {kb(search['raw'])} KB raw, "
          f"{kb(search['gzip'])} KB gzip")
    fold = rows[-1]
    print(f"search index: {kb(len(data))} KB raw, {kb(len(gzip.compress(data, 6)))} KB gzip "
          f"(loaded when search is opened); folding it in the browser: {fold['ms_x1']} ms, "
          f"{fold['ms_x4']} ms with the CPU slowed down 4x")
    if tmp:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
