using Microsoft.Playwright;

namespace IdContact.EndToEnd.Tests;

/// <summary>
/// WCAG 2.1 AA checks axe-core leaves out, measured in the page: 1.4.10 Reflow (no horizontal scrolling of the page at
/// the viewport's width; a wide table may scroll in its own labelled, focusable region), 1.4.12 Text spacing (the
/// bookmarklet's spacing clips no text) and 2.4.7 Focus visible (every Tab stop looks different when focused).
/// Problems are collected, not thrown, so that one run lists them all.
/// </summary>
public sealed class Layout
{
    /// <summary>The WCAG 1.4.12 text-spacing bookmarklet's style sheet (Steve Faulkner's), applied with !important.</summary>
    private const string TextSpacingCss = """
        * { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; }
        p { margin-bottom: 2em !important; }
        """;

    /// <summary>
    /// What sticks out of the viewport, looking into open shadow roots (the widget): the page's overflow and the
    /// elements past its right edge (not those inside a container that scrolls), every container that scrolls
    /// sideways without being a focusable, labelled region (a keyboard user could not scroll it), and images that do
    /// not load (content lost at any width).
    /// </summary>
    private const string ReflowScript = """
        () => {
          const root = document.documentElement;
          const width = root.clientWidth;
          const found = [];
          const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.classList.length ? '.' + [...e.classList].join('.') : '');
          const scrolls = e => ['auto', 'scroll'].includes(getComputedStyle(e).overflowX) && e.scrollWidth > e.clientWidth + 1;
          const walk = (node, scroller) => {
            for (const e of node.children) {
              const style = getComputedStyle(e);
              if (style.display === 'none' || style.visibility === 'hidden') continue;
              const box = e.getBoundingClientRect();
              if (e.tagName === 'IMG' && e.complete && e.naturalWidth === 0) found.push(`image ${e.getAttribute('src')} does not load`);
              if (!scroller && box.width > 0 && box.right > width + 1 && style.position !== 'fixed' && e.closest('.sr-only') === null) {
                found.push(`${name(e)} reaches ${Math.round(box.right)}px`);
              }
              if (scrolls(e) && e !== document.body) {
                const region = e.getAttribute('role') === 'region' && e.tabIndex === 0 && (e.getAttribute('aria-label') || e.getAttribute('aria-labelledby'));
                if (!region) found.push(`${name(e)} scrolls sideways but is no focusable, labelled region`);
              }
              const inner = scroller || ['auto', 'scroll'].includes(style.overflowX);
              if (e.shadowRoot) walk(e.shadowRoot, inner);
              walk(e, inner);
            }
          };
          walk(document.body, false);
          // A word that would fit in half the width yet is split over two lines sits in a column squeezed too narrow.
          const texts = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
          const range = document.createRange();
          for (let node = texts.nextNode(); node; node = texts.nextNode()) {
            const parent = node.parentElement;
            const box = parent.getBoundingClientRect();
            if (box.width <= 1 || box.height <= 1 || parent.closest('script, style, .sr-only')) continue;
            for (const word of node.textContent.matchAll(/[^\s\-]{2,}/g)) {
              range.setStart(node, word.index);
              range.setEnd(node, word.index + word[0].length);
              const rects = [...range.getClientRects()].filter(r => r.width > 0);
              const lines = new Set(rects.map(r => Math.round(r.top)));
              if (lines.size > 1 && rects.reduce((sum, r) => sum + r.width, 0) <= width / 2) found.push(`"${word[0]}" split in ${name(parent)}`);
            }
          }
          return { overflow: root.scrollWidth - width, width, found: found.slice(0, 8) };
        }
        """;

    /// <summary>Elements with text whose hidden or clipped overflow cuts some of it off (the screen-reader-only class clips on purpose).</summary>
    private const string ClippedScript = """
        () => {
          const found = [];
          for (const e of document.body.querySelectorAll('*')) {
            const box = e.getBoundingClientRect();
            // Text hidden for all but screen readers (a 1 px box) is clipped on purpose.
            if (e.closest('.sr-only, video, svg, canvas') || !e.textContent.trim() || box.width <= 1 || box.height <= 1) continue;
            const style = getComputedStyle(e);
            if (style.display === 'none') continue;
            const clips = v => v === 'hidden' || v === 'clip';
            const cutY = clips(style.overflowY) && e.scrollHeight > e.clientHeight + 1;
            const cutX = clips(style.overflowX) && e.scrollWidth > e.clientWidth + 1;
            if (cutY || cutX) found.push(e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className ? '.' + e.className : ''));
          }
          return found.slice(0, 8);
        }
        """;

    /// <summary>The look of the focused element as a focus indicator would change it.</summary>
    private const string LookScript = """
        e => { const s = getComputedStyle(e);
          return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow, s.borderColor, s.backgroundColor, s.color, s.textDecorationLine].join('|'); }
        """;

    /// <summary>
    /// Counts the page's fetch and XMLHttpRequest calls in flight and when the last one started or finished, for
    /// <see cref="QuietScript"/>. A WebSocket (SignalR's stays open) is neither; SignalR's negotiate POST is a fetch.
    /// </summary>
    private const string NetworkWatchScript = """
        (() => {
          window.__idcInFlight = 0;
          window.__idcLast = performance.now();
          const start = () => { window.__idcInFlight++; window.__idcLast = performance.now(); };
          const end = () => { window.__idcInFlight--; window.__idcLast = performance.now(); };
          const fetch = window.fetch;
          window.fetch = function (...args) {
            start();
            try { return fetch.apply(this, args).finally(end); } catch (e) { end(); throw e; }
          };
          const send = XMLHttpRequest.prototype.send;
          XMLHttpRequest.prototype.send = function (...args) {
            start();
            this.addEventListener('loadend', end, { once: true });
            try { return send.apply(this, args); } catch (e) { this.removeEventListener('loadend', end); end(); throw e; }
          };
        })();
        """;

    /// <summary>
    /// Playwright's <c>networkidle</c>, polled in the page: loaded, no fetch in flight and none for 500 ms. Its
    /// <c>WaitForLoadStateAsync</c> checks the states on the test's thread before it subscribes to the events and may
    /// lose one in between (microsoft/playwright-dotnet#3364, as <see cref="Navigation"/>). A page opened without
    /// <see cref="WatchNetworkAsync"/> is waited for only until loaded; the test's expectations wait for the rest.
    /// </summary>
    private const string QuietScript = """
        () => document.readyState === 'complete'
          && (window.__idcInFlight === undefined || (window.__idcInFlight === 0 && performance.now() - window.__idcLast > 500))
        """;

    private readonly List<string> _problems = [];

    /// <summary>The browser context for a page of this width: residents' phones are 320 CSS px, staff's zoomed laptops 640.</summary>
    private static BrowserNewContextOptions Viewport(int width, int height, string locale = "nl-NL") =>
        new() { Locale = locale, ViewportSize = new() { Width = width, Height = height } };

    /// <summary>A page in a new context of this width (<see cref="Viewport"/>) whose network the reflow check can wait for.</summary>
    public static async Task<IPage> NewPageAsync(IBrowser chromium, int width, int height, string locale = "nl-NL")
    {
        var context = await chromium.NewContextBoundedAsync(Viewport(width, height, locale));
        await WatchNetworkAsync(context);
        return await context.NewPageBoundedAsync();
    }

    /// <summary>Counts the fetches of the context's pages from their next navigation on, for <see cref="ReflowsAsync"/>.</summary>
    public static Task WatchNetworkAsync(IBrowserContext context) => context.AddInitScriptAsync(NetworkWatchScript);

    /// <summary>The page and the fetches it started have finished, and nothing new started for 500 ms.</summary>
    public static Task WaitForQuietAsync(IPage page) => page.WaitForFunctionAsync(QuietScript);

    /// <summary>1.4.10: no sideways scrolling of the page at the viewport's width.</summary>
    public async Task ReflowsAsync(IPage page, string what)
    {
        await WaitForQuietAsync(page);
        var result = await page.EvaluateAsync<ReflowResult>(ReflowScript);
        if (result.Overflow > 1 || result.Found.Length > 0)
        {
            _problems.Add($"{what} ({page.Url}) at {result.Width}px: page {result.Overflow}px too wide; {string.Join("; ", result.Found)}");
        }
    }

    /// <summary>1.4.12: with the bookmarklet's spacing, no text is clipped and the page still reflows.</summary>
    public async Task KeepsTextWithSpacingAsync(IPage page, string what)
    {
        // A constructed sheet: the page's CSP (style-src 'self') does not apply to it, as to the bookmarklet's.
        await page.EvaluateAsync($$"""
            () => { const sheet = new CSSStyleSheet(); sheet.replaceSync({{System.Text.Json.JsonSerializer.Serialize(TextSpacingCss)}});
              for (const root of [document, ...[...document.querySelectorAll('*')].map(e => e.shadowRoot).filter(r => r)]) root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet]; }
            """);
        var clipped = await page.EvaluateAsync<string[]>(ClippedScript);
        if (clipped.Length > 0)
        {
            _problems.Add($"{what} ({page.Url}) with text spacing clips: {string.Join(", ", clipped)}");
        }

        await ReflowsAsync(page, what + " with text spacing");
        await page.EvaluateAsync("() => { for (const root of [document, ...[...document.querySelectorAll('*')].map(e => e.shadowRoot).filter(r => r)]) root.adoptedStyleSheets = root.adoptedStyleSheets.slice(0, -1); }");
    }

    /// <summary>2.4.7: Tab from the top through the page; every element reached must look different focused than not.</summary>
    public async Task ShowsFocusAsync(IPage page, string what, int maxStops = 40)
    {
        await page.EvaluateAsync("() => { document.activeElement?.blur(); window.scrollTo(0, 0); window.focusStops = new Set(); }");
        var stops = 0;
        var outside = 0;
        for (var i = 0; i < maxStops; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            var focused = page.Locator(":focus");
            if (await focused.CountAsync() != 1)
            {
                // Past the last element focus leaves the page; the next Tab starts at the top again.
                if (++outside > 1)
                {
                    break;
                }

                continue;
            }

            if (await focused.EvaluateAsync<bool>("e => window.focusStops.has(e) || !window.focusStops.add(e)"))
            {
                break; // round again
            }

            stops++;
            var id = await focused.EvaluateAsync<string>("e => e.outerHTML.slice(0, 120)");

            var look = await focused.EvaluateAsync<string>(LookScript);
            var unfocused = await focused.EvaluateAsync<string>($$"""
                e => { const look = {{LookScript}}; e.blur(); const before = look(e); e.focus(); return before; }
                """);
            if (look == unfocused)
            {
                _problems.Add($"{what} ({page.Url}): no visible focus on {id}");
            }
        }

        if (stops < 2)
        {
            _problems.Add($"{what} ({page.Url}): Tab reached {stops} elements");
        }
    }

    public void AssertNone() =>
        Assert.True(_problems.Count == 0, "Reflow, text spacing or focus problems:\n" + string.Join("\n", _problems));

    private sealed class ReflowResult
    {
        public int Overflow { get; set; }

        public int Width { get; set; }

        public string[] Found { get; set; } = [];
    }
}
