/// The one stylesheet: readable, high-contrast, works on a phone, prints cleanly.
enum Stylesheet {
    static let css = """
        :root { --ink:#1b1f24; --muted:#57606a; --line:#d0d7de; --bg:#ffffff; --panel:#f6f8fa; --accent:#0b5cad;
          --ok:#1a7f37; --bad:#b42318; --warn:#9a6700; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
        * { box-sizing: border-box; }
        body { margin:0; color:var(--ink); background:var(--bg); line-height:1.5; }
        a { color:var(--accent); }
        .skip { position:absolute; left:-999px; } .skip:focus { left:8px; top:8px; background:#fff; padding:4px 8px; z-index:10; }
        .demo { background:#fff3c4; color:#5c4400; text-align:center; padding:6px; font-weight:600; border-bottom:1px solid #e3c65a; }
        header.top { display:flex; flex-wrap:wrap; gap:16px; align-items:center; padding:10px 24px; border-bottom:1px solid var(--line); background:var(--panel); }
        .brand { font-weight:700; font-size:1.2rem; text-decoration:none; color:var(--ink); }
        nav ul { list-style:none; display:flex; flex-wrap:wrap; gap:14px; margin:0; padding:0; }
        nav a[aria-current] { font-weight:700; text-decoration:none; color:var(--ink); }
        .langs { margin-left:auto; display:flex; gap:8px; font-size:.9rem; }
        .signout { display:flex; gap:8px; align-items:center; font-size:.9rem; } .who { color:var(--muted); }
        main { max-width:720px; margin:24px auto; padding:0 24px; } main.wide { max-width:1200px; }
        h1 { font-size:1.6rem; margin:.2em 0 .6em; } h2 { font-size:1.2rem; margin-top:1.6em; }
        label { display:block; font-weight:600; margin-top:12px; }
        textarea { font:inherit; padding:7px 9px; border:1px solid var(--line); border-radius:6px; width:100%; max-width:640px; }
        input, select { font:inherit; padding:7px 9px; border:1px solid var(--line); border-radius:6px; width:100%; max-width:420px; }
        button, .button { font:inherit; padding:7px 14px; border-radius:6px; border:1px solid var(--accent); background:var(--accent); color:#fff; cursor:pointer; margin-top:12px; }
        button.secondary { background:#fff; color:var(--accent); } button.danger { background:var(--bad); border-color:var(--bad); }
        button.link { background:none; border:none; color:var(--accent); padding:0; margin:0; text-decoration:underline; }
        .inline { display:inline-flex; gap:6px; align-items:center; margin:0; } .inline select, .inline button { width:auto; margin:0; }
        table { border-collapse:collapse; width:100%; font-size:.95rem; } th, td { text-align:left; padding:6px 8px; border-bottom:1px solid var(--line); vertical-align:top; }
        th { background:var(--panel); }
        .notice { padding:10px 14px; border-radius:6px; border:1px solid var(--line); background:var(--panel); }
        .notice.error { border-color:var(--bad); color:var(--bad); background:#fff5f5; } .notice.ok { border-color:var(--ok); color:var(--ok); background:#f3fbf5; }
        .secret { font-family: ui-monospace, monospace; font-size:1.05rem; background:var(--panel); padding:8px; border-radius:6px; word-break:break-all; display:block; }
        .codes { columns:2; font-family:ui-monospace, monospace; font-size:1.1rem; }
        .muted { color:var(--muted); } .hint { color:var(--muted); font-size:.9rem; margin:4px 0 0; }
        .qr svg { width:220px; height:220px; }
        .filters { display:flex; flex-wrap:wrap; gap:10px; align-items:flex-end; } .filters label { margin:0; } .filters input { width:180px; }
        dl.facts { display:grid; grid-template-columns:max-content 1fr; gap:4px 18px; } dl.facts dt { font-weight:600; } dl.facts dd { margin:0; }
        ul.compact { margin:0; padding-left:18px; } td time, .nowrap { white-space:nowrap; }
        .visually-hidden { position:absolute; width:1px; height:1px; overflow:hidden; clip:rect(0 0 0 0); white-space:nowrap; }
        .badge { display:inline-block; font-size:.8rem; font-weight:600; padding:1px 7px; border-radius:10px; background:var(--panel); border:1px solid var(--line); vertical-align:middle; }
        .badge.sev1 { background:var(--bad); color:#fff; border-color:var(--bad); } .badge.sev2 { background:#f9d9d6; color:var(--bad); }
        .badge.sev3 { background:#fff3c4; color:var(--warn); } .badge.public { border-color:var(--ok); color:var(--ok); }
        .badge.ok { border-color:var(--ok); color:var(--ok); } .badge.warn { background:#fff3c4; color:var(--warn); } .badge.bad { border-color:var(--bad); color:var(--bad); }
        .notice.warn { border-color:var(--warn); background:#fffbea; }
        tr.overdue td { background:#fff5f5; } tr.overdue strong, .bad { color:var(--bad); } tr.done td { color:var(--muted); }
        nav.tabs ul { list-style:none; display:flex; flex-wrap:wrap; gap:16px; padding:0; border-bottom:1px solid var(--line); margin:0 0 12px; }
        nav.tabs a { display:inline-block; padding:4px 0; } nav.tabs a[aria-current] { font-weight:700; color:var(--ink); text-decoration:none; border-bottom:2px solid var(--accent); }
        .columns { display:grid; grid-template-columns:repeat(auto-fit, minmax(320px, 1fr)); gap:24px; }
        fieldset { border:1px solid var(--line); border-radius:6px; margin-top:12px; } label.check { display:inline-block; font-weight:400; margin:4px 14px 4px 0; }
        label.check input { width:auto; } textarea.code, pre.code { font-family:ui-monospace, monospace; font-size:.85rem; max-width:none; }
        ol.timeline { padding-left:20px; } ol.timeline li { margin-bottom:8px; } ol.findings li { margin-bottom:12px; }
        td.num, th.num { text-align:right; font-variant-numeric:tabular-nums; } p.big { font-size:1.2rem; } .prewrap { white-space:pre-wrap; }
        @media print { header.top, .demo, form, .skip { display:none; } main { max-width:none; } }
        """
}
