/**
 * The hostile-content corpus: XSS payload families x variants, generated
 * deterministically. Every payload that could run code carries its own id in
 * a call to `__xss(id)` (or, from a frame of another origin, a postMessage
 * `xss:<id>`), so an execution names the payload that caused it. Sources of
 * the classic shapes: the OWASP XSS filter evasion cheat sheet, PortSwigger's
 * XSS cheat sheet (event handlers by element), and known DOMPurify bypasses
 * (mXSS through MathML/SVG namespace confusion).
 */

export interface Payload {
  readonly id: string;
  readonly family: Family;
  readonly text: string;
  /**
   * Runs without any interaction when inserted raw with innerHTML into a page
   * whose CSP is bypassed: the positive control inserts these and expects
   * every one to call __xss.
   */
  readonly firesRaw?: boolean;
}

export type Family =
  | 'script'
  | 'handler'
  | 'url'
  | 'svg-mathml'
  | 'css'
  | 'markdown'
  | 'template'
  | 'spoof'
  | 'long'
  | 'polyglot';

/** The code a payload runs: reaches the detector from this frame, or from a frame of another origin. */
export const call = (id: string): string => `(window.__xss||top.__xss)('${id}')`;
/** The same without quotes, for unquoted attribute values. */
const bare = (id: string): string => `top.__xss(/${id}/.source)`;
/** From a frame that cannot reach `top` (data: documents are of an opaque origin). */
const post = (id: string): string => `parent.postMessage('xss:${id}','*')`;

const out: Payload[] = [];
let n = 0;
function add(family: Family, make: (id: string) => string, firesRaw = false): void {
  const id = `x${(n++).toString(36)}`;
  out.push({ id, family, text: make(id), ...(firesRaw && { firesRaw }) });
}

// --- script tags
for (const make of [
  (id: string) => `<script>${call(id)}</script>`,
  (id: string) => `<SCRIPT>${call(id)}</SCRIPT>`,
  (id: string) => `<ScRiPt >${call(id)}</sCrIpT >`,
  (id: string) => `<script src="data:text/javascript,${call(id)}"></script>`,
  (id: string) => `<script/x>${call(id)}</script>`,
  (id: string) => `<scr<script>ipt>${call(id)}</scr</script>ipt>`,
  (id: string) => `<script type="module">${call(id)}</script>`,
  (id: string) => `"><script>${call(id)}</script>`,
  (id: string) => `'><script>${call(id)}</script>`,
  (id: string) => `</textarea><script>${call(id)}</script>`,
  (id: string) => `</title><script>${call(id)}</script>`,
  (id: string) => `</style><script>${call(id)}</script>`,
  (id: string) => `<!--><script>${call(id)}</script>-->`,
  (id: string) => `<script>/*</script>*/${call(id)}</script>`,
  (id: string) => `\\x3cscript\\x3e${call(id)}\\x3c/script\\x3e`,
  (id: string) => `%3Cscript%3E${call(id)}%3C%2Fscript%3E`,
  (id: string) => `&lt;script&gt;${call(id)}&lt;/script&gt;`,
  (id: string) => `&#60;script&#62;${call(id)}&#60;/script&#62;`,
  (id: string) => `<<script>script>${call(id)}<</script>/script>`,
  (id: string) => `<script\tsrc="data:,${call(id)}"></script>`,
  (id: string) => `<script>eval(atob('${btoa(call(id))}'))</script>`,
  (id: string) => `<script>setTimeout("${call(id).replace(/'/g, '\\x27')}")</script>`,
  (id: string) => `<noscript><p title="</noscript><img src=x onerror=${bare(id)}>">`,
  (id: string) => `<template><script>${call(id)}</script></template>`,
])
  add('script', make);

// --- event handlers on many elements (the element's own trigger when it has one)
const elements: readonly [tag: string, extra: string, firesRaw: string | false][] = [
  ['img', 'src=x', 'onerror'],
  ['image', 'src=x', 'onerror'],
  ['svg', '', false], // its load event does not fire when inserted by innerHTML
  ['body', '', false],
  ['iframe', '', 'onload'],
  ['input', 'autofocus', false],
  ['textarea', 'autofocus', false],
  ['select', 'autofocus', false],
  ['button', 'autofocus', false],
  ['details', 'open', 'ontoggle'],
  ['video', 'src=x', 'onerror'],
  ['audio', 'src=x', 'onerror'],
  ['object', 'data=x', false],
  ['embed', 'src=x', false],
  ['link', 'rel=stylesheet href=x', false],
  ['style', '', 'onload'],
  ['marquee', '', false],
  ['a', 'href=#', false],
  ['div', 'tabindex=1', false],
  ['form', '', false],
  ['frameset', '', false],
  ['math', '', false],
  ['x', 'contenteditable', false],
];
const handlers = [
  'onerror',
  'onload',
  'onfocus',
  'ontoggle',
  'onmouseover',
  'onclick',
  'onanimationstart',
  'onpointerenter',
  'onbegin',
  'onstart',
];
const quoting = [
  (h: string, id: string) => `${h}="${call(id)}"`,
  (h: string, id: string) => `${h}='${call(id).replace(/'/g, '"')}'`,
  (h: string, id: string) => `${h}=${bare(id)}`,
  (h: string, id: string) => `${h.toUpperCase()}="${call(id)}"`,
  (h: string, id: string) => `/${h}=${bare(id)}`,
];
elements.forEach(([tag, extra, trigger], e) => {
  handlers.forEach((handler, h) => {
    // '/onx=' after an attribute is still an attribute; keep the control simple
    const fires = handler === trigger && (e + h) % quoting.length !== 4;
    add(
      'handler',
      (id) =>
        `<${tag} ${extra} ${quoting[(e + h) % quoting.length]!(handler, id)}>${tag}</${tag}>`.replace(/ {2}/g, ' '),
      fires,
    );
  });
});

// --- javascript:, data: and vbscript: URLs, spelled many ways, in every place a URL goes
const schemes: readonly ((id: string) => string)[] = [
  (id) => `javascript:${call(id)}`,
  (id) => `JaVaScRiPt:${call(id)}`,
  (id) => `&#106;avascript:${call(id)}`,
  (id) => `&#x6A;&#x61;&#x76;&#x61;script:${call(id)}`,
  (id) => `&#0000106&#0000097vascript:${call(id)}`,
  (id) => `java\tscript:${call(id)}`,
  (id) => `java\nscript:${call(id)}`,
  (id) => `java&#09;script:${call(id)}`,
  (id) => ` \u0001javascript:${call(id)}`,
  (id) => `javascript&colon;${call(id)}`,
  (id) => `%6A%61vascript:${call(id)}`,
  (id) => `javascript://%0a${call(id)}`,
  (id) => `vbscript:msgbox("${id}")`,
  (id) => `data:text/html,<script>${post(id)}</script>`,
  (id) => `data:text/html;base64,${btoa(`<script>${post(id)}</script>`)}`,
  (id) => `data:image/svg+xml,<svg xmlns="http://www.w3.org/2000/svg" onload="${post(id)}"/>`,
];
const urlPlaces: readonly ((url: string) => string)[] = [
  (u) => `<a href="${u}">link</a>`,
  (u) => `<img src="${u}">`,
  (u) => `<iframe src="${u}"></iframe>`,
  (u) => `[link](${u})`,
  (u) => `![image](${u})`,
  (u) => `<${u}>`,
  (u) => `[link][r]\n\n[r]: ${u}`,
  (u) => `[link](${u} "title")`,
  (u) => `${u}`,
  (u) => `<form action="${u}"><button>go</button></form>`,
  (u) => `<meta http-equiv="refresh" content="0;url=${u}">`,
  (u) => `<svg><a xlink:href="${u}"><text y="20">link</text></a></svg>`,
];
schemes.forEach((scheme, s) => {
  urlPlaces.forEach((place, p) => {
    add('url', (id) => place(scheme(id)), s === 0 && p === 2);
  });
});

// --- SVG and MathML (namespace confusion included)
for (const [make, fires] of [
  [(id: string) => `<svg><script>${call(id)}</script></svg>`, false],
  [(id: string) => `<svg><script href="data:,${call(id)}"/></svg>`, false],
  [(id: string) => `<svg><animate onbegin="${call(id)}" attributeName=x dur=1s>`, true],
  [(id: string) => `<svg><set attributeName=onload to="${call(id)}"/></svg>`, false],
  [
    (id: string) =>
      `<svg><animate attributeName=href values="javascript:${call(id)}"/><a id=a><text y=20>x</text></a></svg>`,
    false,
  ],
  [
    (id: string) =>
      `<svg><use href="data:image/svg+xml,<svg id='x' xmlns='http://www.w3.org/2000/svg'><image href='1' ` +
      `onerror='${post(id)}'/></svg>#x"/></svg>`,
    false,
  ],
  [
    (id: string) => `<svg><foreignObject><iframe srcdoc="<script>${post(id)}</script>"></iframe></foreignObject></svg>`,
    false,
  ],
  [(id: string) => `<svg><style><img src=x onerror="${call(id)}"></style></svg>`, false],
  [(id: string) => `<svg><title><img src=x onerror="${call(id)}"></title></svg>`, false],
  [(id: string) => `<svg><desc><![CDATA[</desc><script>${call(id)}</script>]]></svg>`, false],
  [(id: string) => `<svg><image href=x onerror="${call(id)}"/></svg>`, true],
  [(id: string) => `<svg><feImage href="javascript:${call(id)}"/></svg>`, false],
  [
    (id: string) =>
      `<svg><handler xmlns:ev="http://www.w3.org/2001/xml-events" ev:event="load">${call(id)}</handler></svg>`,
    false,
  ],
  [(id: string) => `<math><mtext><table><mglyph><style><img src=x onerror="${call(id)}">`, false],
  [(id: string) => `<math><mi xlink:href="javascript:${call(id)}">x</mi></math>`, false],
  [(id: string) => `<math href="javascript:${call(id)}">click</math>`, false],
  [
    (id: string) => `<math><maction actiontype="statusline" xlink:href="javascript:${call(id)}">x</maction></math>`,
    false,
  ],
  [
    (id: string) =>
      `<form><math><mtext></form><form><mglyph><svg><mtext><style><path id="</style><img src=x ` +
      `onerror='${call(id).replace(/'/g, '"')}'>">`,
    false,
  ],
  [
    (id: string) =>
      `<math><annotation-xml encoding="text/html"><img src=x onerror="${call(id)}"></annotation-xml></math>`,
    false,
  ],
  [(id: string) => `<svg><p><style><img src=x onerror="${call(id)}"></style></p></svg>`, false],
  [(id: string) => `<svg></p><style><a id="</style><img src=x onerror=${bare(id)}>">`, false],
  [(id: string) => `<svg><a href="javascript:${call(id)}"><circle r=50></circle></a></svg>`, false],
  [(id: string) => `<svg xmlns="http://www.w3.org/2000/svg"><discard onbegin="${call(id)}"/></svg>`, false],
  [(id: string) => `<svg><animatetransform onbegin="${call(id)}" attributeName=transform>`, false],
] as const)
  add('svg-mathml', make, fires);

// --- CSS: style attributes, expression(), url(javascript:), @import, animations
for (const make of [
  (id: string) => `<div style="background:url(javascript:${call(id)})">x</div>`,
  (id: string) => `<div style="width:expression(${call(id)})">x</div>`,
  (id: string) => `<div style="x:\\65 xpression(${call(id)})">x</div>`,
  (id: string) => `<div style="behavior:url(#default#time2)" onbegin="${call(id)}">x</div>`,
  (id: string) => `<div style="-moz-binding:url(data:text/xml,${id})">x</div>`,
  (id: string) => `<style>@import 'javascript:${call(id)}';</style>`,
  (id: string) => `<style>*{background:url("javascript:${call(id)}")}</style>`,
  (id: string) =>
    `<style>@keyframes k${id}{}</style><b style="animation-name:k${id}" onanimationstart="${call(id)}">x</b>`,
  (id: string) => `<style>body{background-image:url(data:image/svg+xml,<svg onload=${post(id)}>)}</style>`,
  (id: string) => `<link rel="stylesheet" href="javascript:${call(id)}">`,
  (id: string) => `<style>li{list-style-image:url("javascript:${call(id)}")}</style><ul><li>x</li></ul>`,
  (id: string) => `<p style="font-family:'</style><img src=x onerror=${bare(id)}>'">`,
  (id: string) => `<div style="background:url('data:image/svg+xml,<svg onload=${post(id)}>')">x</div>`,
  (id: string) => `<img style="position:fixed;inset:0;opacity:0" src=x onmouseover="${call(id)}">`,
  (id: string) => `<a style="position:fixed;inset:0;z-index:99999" href="javascript:${call(id)}">cover</a>`,
  (id: string) => `<div style="x:exp/**/ression(${call(id)})">x</div>`,
  (id: string) => `<style>@font-face{font-family:x;src:url(javascript:${call(id)})}</style>`,
  (id: string) => `<table background="javascript:${call(id)}"><td>x</td></table>`,
  (id: string) => `<style onload="${call(id)}">@import url(x)</style>`,
  (id: string) => `<div style="--x:url(javascript:${call(id)});background:var(--x)">x</div>`,
])
  add('css', make);

// --- markdown link and image tricks, and HTML inside markdown
for (const make of [
  (id: string) => `[x](javascript:${call(id)})`,
  (id: string) => `[x](<javascript:${call(id)}>)`,
  (id: string) => `[x]( javascript:${call(id)} )`,
  (id: string) => `[x](JAVASCRIPT:${call(id)})`,
  (id: string) => `[x](javascript&#58;${call(id)})`,
  (id: string) => `[x](java%0ascript:${call(id)})`,
  (id: string) => `[x](data:text/html;base64,${btoa(`<script>${post(id)}</script>`)})`,
  (id: string) => `[x](vbscript:msgbox(1)//${id})`,
  (id: string) => `[[x](javascript:${call(id)})](https://a.example/)`,
  (id: string) => `[![img](javascript:${call(id)})](javascript:${call(id)})`,
  (id: string) => `[x](https://a.example/ "title" onmouseover="${call(id)}")`,
  (id: string) => `[x](https://a.example/"onmouseover="${call(id)})`,
  (id: string) => `![x](x" onerror="${call(id)})`,
  (id: string) => `![x"onerror="${call(id)}](x)`,
  (id: string) => `<javascript:${call(id)}>`,
  (id: string) => `<https://a.example/"onmouseover="${call(id)}">`,
  (id: string) => `https://a.example/"><img src=x onerror=${bare(id)}>`,
  (id: string) => `https://a.example/'onmouseover='${call(id).replace(/'/g, '')}'`,
  (id: string) => `https://a.example/<script>${call(id)}</script>`,
  (id: string) => `https://javascript:${call(id)}`,
  (id: string) => `http://a.example/#"><svg/onload=${bare(id)}>`,
  (id: string) => `https:javascript:${call(id)}`,
  (id: string) => `[x][ref]\n\n[ref]: javascript:${call(id)}`,
  (id: string) => `[x]\n\n[x]: <javascript:${call(id)}> "t"`,
  (id: string) => `**<img src=x onerror=${bare(id)}>**`,
  (id: string) => `*<svg onload=${bare(id)}>*`,
  (id: string) => `\`<img src=x onerror=${bare(id)}>\``,
  (id: string) => `\`\`\`html\n<script>${call(id)}</script>\n\`\`\``,
  (id: string) => `> <img src=x onerror=${bare(id)}>`,
  (id: string) => `- [x](javascript:${call(id)})\n- <b onmouseover=${bare(id)}>b</b>`,
  (id: string) => `# <img src=x onerror=${bare(id)}>`,
  (id: string) => `| a | <img src=x onerror=${bare(id)}> |\n|---|---|`,
  (id: string) => `[x](#" onclick="${call(id)})`,
  (id: string) => `**[x](javascript:${call(id)})**`,
  (id: string) => `***https://a.example/*"onmouseover="${call(id)}***`,
  (id: string) => `<details open ontoggle=${bare(id)}>**md**</details>`,
  (id: string) => `[x](\\javascript:${call(id)})`,
  (id: string) => `[x](javascript:${call(id)}#https://a.example/)`,
  (id: string) => `<a href="https://a.example/" onclick="${call(id)}">[x](https://a.example/)</a>`,
  (id: string) => `!\n[x](javascript:${call(id)})`,
])
  add('markdown', make);

// --- template injection (React, Vue, Angular, Handlebars, ERB, JS template literals)
for (const make of [
  (id: string) => `{{constructor.constructor('${call(id).replace(/'/g, '"')}')()}}`,
  (id: string) => `\${${call(id)}}`,
  (id: string) => `\`\${${call(id)}}\``,
  (id: string) => `<%= ${call(id)} %>`,
  (id: string) => `#{${call(id)}}`,
  (id: string) => `{{$on.constructor('${call(id).replace(/'/g, '"')}')()}}`,
  (id: string) => `{{7*7}}[[${id}]]`,
  (id: string) => `{${call(id)}}`,
  (id: string) => `{{{<img src=x onerror=${bare(id)}>}}}`,
  (id: string) => `<div v-html="'<img src=x onerror=${bare(id)}>'"></div>`,
  (id: string) => `<div ng-app ng-csp><p ng-focus="$event.view.__xss('${id}')" autofocus tabindex=0>x</p></div>`,
  (id: string) => `{"__html":"<img src=x onerror=${bare(id)}>"}`,
  (id: string) => `{"dangerouslySetInnerHTML":{"__html":"<img src=x onerror=${bare(id)}>"}}`,
  (id: string) => `__proto__[innerHTML]=<img src=x onerror=${bare(id)}>`,
  (id: string) => `constructor[prototype][innerHTML]=<img/src/onerror=${bare(id)}>`,
  (id: string) => `[%${call(id)}%]`,
])
  add('template', make);

// --- spoofing: bidi overrides and zero-width characters (nothing to run; nothing may reorder other text)
const bidi = ['\u202E', '\u202D', '\u202B', '\u202A', '\u2066', '\u2067', '\u2068', '\u200F', '\u061C'];
for (const b of bidi) add('spoof', (id) => `${b}moc.elpmaxe@ecila ${id}`);
for (const b of bidi) add('spoof', (id) => `alice@hub.example${b} ${id} [x](javascript:${call(id)})`);
for (const z of ['\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF', '\u00AD', '\u180E']) {
  add('spoof', (id) => `ali${z}ce@hub.example ${id}`);
  add('spoof', (id) => `java${z}script:${call(id)}`);
}
add('spoof', (id) => `\u202Egpj.exe ${id}`);
add('spoof', (id) => `@alice\u202E@elpmaxe.buh ${id}`);
add('spoof', (id) => `\u0430lice@hub.example ${id}`); // Cyrillic a

// --- very long strings (4096 code points is the body limit)
const fill = (unit: string, max = 4000) => unit.repeat(Math.floor(max / unit.length));
add('long', (id) => fill(`<img src=x onerror=${bare(id)}>`));
add('long', (id) => `${id} ${fill('A')}`);
add('long', (id) => `${id} ${fill('*')}`);
add('long', (id) => `${id} ${fill('**a')}`);
add('long', (id) => `${fill('[', 3900)}x](javascript:${call(id)})`);
add('long', (id) => `https://a.example/${fill('a', 3900)}?${id}`);
add('long', (id) => `${fill('\u202E', 2000)}${id}`);
add('long', (id) => `${fill('\u200B', 3000)}${id}`);
add('long', (id) => `${id} ${fill('`')}`);
add('long', (id) => `${id} ${fill('*`a', 3990)}`);
add('long', (id) => `${id} ${fill('\u0301', 3000)}`); // combining marks stacking on one letter
add('long', (id) => `${id} ${fill('😀')}`);

// --- polyglots and other shapes
for (const make of [
  (id: string) =>
    `jaVasCript:/*-/*\`/*\\\`/*'/*"/**/(/* */oNcliCk=${bare(id)} ` +
    `)//%0D%0A%0d%0a//</stYle/</titLe/</teXtarEa/</scRipt/--!>\\x3csVg/<sVg/oNloAd=${bare(id)}//>\\x3e`,
  (id: string) => `"'--></style></script><img src=x onerror=${bare(id)}>`,
  (id: string) => `<iframe srcdoc="<script>${post(id)}</script>"></iframe>`,
  (id: string) => `<iframe srcdoc="&lt;img src=x onerror=${post(id)}&gt;"></iframe>`,
  (id: string) => `<base href="javascript:${call(id)}//"><a href="x">x</a>`,
  (id: string) => `<object data="javascript:${call(id)}"></object>`,
  (id: string) => `<embed src="javascript:${call(id)}">`,
  (id: string) => `<isindex action="javascript:${call(id)}" type=submit>`,
  (id: string) => `<button form=f formaction="javascript:${call(id)}">x</button>`,
  (id: string) => `<input type=image src=x onerror="${call(id)}">`,
  (id: string) => `<img src="x\` onerror=${bare(id)}>`,
  (id: string) => `<img """><script>${call(id)}</script>">`,
  (id: string) => `<img src=x:alert(1) onerror=eval(src.replace('x:alert(1)','${call(id).replace(/'/g, '"')}'))>`,
  (id: string) => `<a href="\u0001javascript:${call(id)}">x</a>`,
  (id: string) => `<a href="  javascript:${call(id)}">x</a>`,
  (id: string) => `<img src=x onerror=&#x5f;&#x5f;xss('${id}')>`,
  (id: string) => `<svg><script>&#x5f;&#x5f;xss('${id}')</script></svg>`,
  (id: string) => `\u003cimg src=x onerror=${bare(id)}\u003e`,
  (id: string) => `<img src=x onerror=${bare(id)}//`,
  (id: string) => `<img src=x onerror=${bare(id)}`,
  (id: string) => `</p><img src=x onerror=${bare(id)}><p>`,
  (id: string) => `<xmp><img src=x onerror=${bare(id)}></xmp>`,
  (id: string) => `<plaintext><img src=x onerror=${bare(id)}>`,
  (id: string) => `<noembed><img title="</noembed><img src=x onerror=${bare(id)}>">`,
  (id: string) => `<a href="https://a.example/" target="_top" ping="javascript:${call(id)}">x</a>`,
  (id: string) => `<portal src="javascript:${call(id)}"></portal>`,
  (id: string) => `<dialog open onclose="${call(id)}"><form method=dialog><button autofocus>x</button></form></dialog>`,
  (id: string) => `<img srcset="x 1x, javascript:${call(id)} 2x" onerror="${call(id)}">`,
])
  add('polyglot', make);

/** Every payload, in a fixed order. */
export const CORPUS: readonly Payload[] = out;
export const CORPUS_SIZE = 621;
