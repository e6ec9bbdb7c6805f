import { parseDocument } from 'htmlparser2'
import { describe, expect, it } from 'vitest'
import { renderMarkdown } from './render.js'

// Each entry is something a member could type into a review, an answer or a reply, trying to run
// code in the readers' browsers. None of it may survive as anything a browser would execute.
const corpus = [
  '<script>alert(1)</script>',
  '<SCRIPT SRC=https://evil.example/x.js></SCRIPT>',
  '<scr<script>ipt>alert(1)</scr</script>ipt>',
  '<img src=x onerror=alert(1)>',
  '<svg onload=alert(1)><circle r=1 /></svg>',
  '<body onload=alert(1)>',
  '<iframe src="javascript:alert(1)"></iframe>',
  '<a href="javascript:alert(1)">click</a>',
  '<div style="background:url(javascript:alert(1))">x</div>',
  '<style>*{background:url(//evil.example)}</style>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '<details open ontoggle=alert(1)>',
  '<input autofocus onfocus=alert(1)>',
  '<form action="javascript:alert(1)"><button>go</button></form>',
  '<object data="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="></object>',
  '<embed src="javascript:alert(1)">',
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '<base href="javascript:alert(1)//">',
  '[click](javascript:alert(1))',
  '[click](JaVaScRiPt:alert(1))',
  '[click](  javascript:alert(1))',
  '[click](java\tscript:alert(1))',
  '[click](javascript&#58;alert(1))',
  '[click](javascript&colon;alert(1))',
  '[click](&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1))',
  '[click](&#x6A;avascript:alert(1))',
  '[click](%6A%61%76%61%73%63%72%69%70%74:alert(1))',
  '[click](vbscript:msgbox(1))',
  '[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '[click](data:text/html,<script>alert(1)</script>)',
  '![x](javascript:alert(1))',
  '![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)',
  '![x](data:image/png;base64,iVBORw0KGgo=)',
  '![x](https://tracker.example/pixel.gif "a\\" onerror=\\"alert(1)")',
  '[x](https://example.com "title\\" onmouseover=\\"alert(1)")',
  '[ref]\n\n[ref]: javascript:alert(1)',
  '<javascript:alert(1)>',
  '<a href="https://example.com" onclick="alert(1)">ok</a>',
  '`<script>alert(1)</script>`',
  '```html\n<script>alert(1)</script>\n```',
  '&lt;script&gt;alert(1)&lt;/script&gt;',
  '&#60;img src=x onerror=alert(1)&#62;',
  '**<img src=x onerror=alert(1)>**',
  '> <svg/onload=alert(1)>',
  '[<img src=x onerror=alert(1)>](https://example.com)',
  '[a](https://example.com)<img src=x onerror=alert(1)>',
  'javascript:alert(1)',
  'www.example.com/"><script>alert(1)</script>',
  '<!--<script>alert(1)</script>-->',
  '<![CDATA[<script>alert(1)</script>]]>',
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
  '<x onclick=alert(1)>click</x>',
]

const safeTags = new Set(['p', 'br', 'strong', 'em', 'del', 's', 'ul', 'ol', 'li', 'blockquote', 'code', 'pre', 'a', 'hr', 'h3', 'h4', 'h5', 'h6'])

/** Anything a browser would run, read back out of the HTML we produce by an HTML5 parser: elements beyond the safe few, any attribute but a link's, a link to anything but the web or mail. */
function executable(html: string): string[] {
  const found: string[] = []
  type Node = { type: string; name?: string; attribs?: Record<string, string>; children?: Node[] }
  const walk = (nodes: Node[]) => {
    for (const node of nodes) {
      if (node.type === 'comment' || node.type === 'cdata' || node.type === 'directive') found.push(node.type)
      if (!node.attribs || !node.name) continue
      if (!safeTags.has(node.name)) found.push(`<${node.name}>`)
      for (const [name, value] of Object.entries(node.attribs)) {
        if (!(node.name === 'a' && (name === 'href' || name === 'rel'))) found.push(`${node.name} ${name}`)
        if (name === 'href' && !/^(https?:\/\/|mailto:)/i.test(value)) found.push(`href ${value}`)
      }
      walk(node.children ?? [])
    }
  }
  walk(parseDocument(html, { decodeEntities: true }).children as Node[])
  return found
}

describe('rendering members’ Markdown', () => {
  it.each(corpus)('leaves nothing executable of %j', (text) => {
    const html = renderMarkdown(text)
    expect(executable(html)).toEqual([])
    // And, read as plain text, no tag opens: whatever the member typed in angle brackets is shown as text.
    expect(
      html.replace(
        /<\/?(p|br|strong|em|del|s|ul|ol|li|blockquote|code|pre|hr|h[3-6])>|<a href="(https?:|mailto:)[^"]*" rel="nofollow ugc noopener">|<a rel="nofollow ugc noopener">|<\/a>/g,
        '',
      ),
    ).not.toMatch(/<[a-z!/?]/i)
  })

  it('keeps what members really write: emphasis, lists, quotes and safe links marked as user content', () => {
    const html = renderMarkdown('**Lovely** fit, *runs* small.\n\n- soft\n- warm\n\n> would buy again\n\nSee https://shop.example/size-guide')
    expect(html).toContain('<strong>Lovely</strong>')
    expect(html).toContain('<em>runs</em>')
    expect(html).toContain('<li>soft</li>')
    expect(html).toContain('<blockquote>')
    expect(html).toContain('<a href="https://shop.example/size-guide" rel="nofollow ugc noopener">https://shop.example/size-guide</a>')
  })

  it('shows typed HTML as the text it is, not as markup', () => {
    expect(renderMarkdown('I <3 this & the <b>price</b>')).toBe('<p>I &lt;3 this &amp; the &lt;b&gt;price&lt;/b&gt;</p>\n')
  })
})
