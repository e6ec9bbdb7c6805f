import MarkdownIt from 'markdown-it'
import sanitizeHtml from 'sanitize-html'

/**
 * Members' Markdown as HTML that cannot run anything: markdown-it with raw HTML off, then
 * sanitize-html as the second wall (an allow-list of tags, attributes and URL schemes), so a
 * trick that gets past one still meets the other. Images are not kept at all (a review's pictures
 * would be someone else's server watching its readers); links get `rel="nofollow ugc noopener"`.
 */
const markdown = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: true })
markdown.disable(['image'])

const allowed: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'br', 'strong', 'em', 'del', 's', 'ul', 'ol', 'li', 'blockquote', 'code', 'pre', 'a', 'hr', 'h3', 'h4', 'h5', 'h6'],
  allowedAttributes: { a: ['href', 'rel'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'escape',
  transformTags: {
    // Headings a member writes stay below the page's own.
    h1: 'h3',
    h2: 'h4',
    // Only absolute web and mail links: a relative one would point into Regulars' own pages.
    a: (tagName, attribs) => ({
      tagName,
      attribs: { ...(/^(https?:\/\/|mailto:)/i.test(attribs.href ?? '') ? { href: attribs.href } : {}), rel: 'nofollow ugc noopener' },
    }),
  },
}

/** The review's or answer's Markdown as safe HTML. */
export function renderMarkdown(text: string): string {
  return sanitizeHtml(markdown.render(text), allowed)
}
