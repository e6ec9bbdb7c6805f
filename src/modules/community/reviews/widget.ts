import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Forbidden } from '../../../platform/http/problems.js'

/**
 * The embeddable widget's browser side, served as /widget/reviews.js. It finds
 * `<div data-regulars-reviews data-sku="…">` on the retailer's product page, reads the product's
 * reviews and questions from this server (with the shopper's Regulars session, if any) and writes
 * them in, using only the server's sanitised `bodyHtml` and text nodes for everything else.
 */
const widgetScript = (base: string) => `(() => {
  const base = ${JSON.stringify(base)};
  const text = (tag, value, cls) => { const el = document.createElement(tag); el.textContent = value; if (cls) el.className = cls; return el; };
  const stars = (n) => '★★★★★'.slice(0, n) + '☆☆☆☆☆'.slice(0, 5 - n);
  async function show(box) {
    const sku = encodeURIComponent(box.dataset.sku || '');
    const get = (path) => fetch(base + '/v1/products/' + sku + path, { credentials: 'include' }).then((r) => { if (!r.ok) throw new Error(String(r.status)); return r.json(); });
    try {
      const [reviews, questions] = await Promise.all([get('/reviews'), get('/questions')]);
      box.replaceChildren();
      const head = text('h3', 'Reviews of ' + reviews.product.name);
      box.append(head, text('p', reviews.summary.count ? stars(Math.round(reviews.summary.average)) + ' ' + reviews.summary.average + ' from ' + reviews.summary.count + ' reviews' : 'No reviews yet', 'regulars-summary'));
      for (const r of reviews.reviews) {
        const item = document.createElement('article');
        item.className = 'regulars-review';
        item.append(text('strong', stars(r.rating) + ' ' + r.title), text('span', ' — ' + r.author.name + (r.author.verifiedPurchase ? ' · Verified purchase' : ''), 'regulars-author'));
        const body = document.createElement('div');
        body.innerHTML = r.bodyHtml; // sanitised by the server (docs/community.md, "Markdown, safely")
        item.append(body);
        for (const reply of r.replies) item.append(text('p', reply.authorName + (reply.storeName ? ' at ' + reply.storeName : '') + ': ' + reply.body, 'regulars-reply'));
        box.append(item);
      }
      box.append(text('h3', 'Questions'));
      for (const q of questions.questions) {
        const item = document.createElement('article');
        item.className = 'regulars-question';
        item.append(text('strong', q.body));
        for (const a of q.answers) item.append(text('p', (a.author.staffBadge ? a.author.name + ' (staff' + (a.author.storeName ? ', ' + a.author.storeName : '') + ')' : a.author.name + (a.author.boughtIt ? ' (bought it)' : '')) + ': ' + a.body, 'regulars-answer'));
        box.append(item);
      }
      const write = text('a', 'Write a review or ask a question', 'regulars-write');
      write.href = base + '/products/' + sku;
      write.target = '_blank';
      write.rel = 'noopener';
      box.append(write);
    } catch (e) {
      box.replaceChildren(text('p', 'Reviews cannot be shown here.', 'regulars-unavailable'));
    }
  }
  document.querySelectorAll('[data-regulars-reviews]').forEach(show);
})();
`

/** The API routes a web shop's page may read from another origin. */
const widgetApi = /^\/v1\/products\/[^/]+\/(reviews|questions)(\?|$)/

/**
 * CORS for the widget: only the origins in REGULARS_WIDGET_ORIGINS may read the product reviews
 * and questions from their pages, with credentials (so a signed-in shopper sees their own), and
 * any other origin's request is refused with a 403 problem. Nothing else of the API answers CORS.
 */
export function registerWidget(app: FastifyInstance, config: { widgetOrigins: string[]; publicUrl: string }) {
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const origin = request.headers.origin
    if (!origin || !widgetApi.test(request.url) || origin === config.publicUrl || origin === `${request.protocol}://${request.host}`) return
    if (!config.widgetOrigins.includes(origin)) throw new Forbidden(`Pages on ${origin} may not show these reviews: add the origin to REGULARS_WIDGET_ORIGINS.`)
    reply.header('access-control-allow-origin', origin).header('access-control-allow-credentials', 'true').header('vary', 'Origin')
  })
  app.get('/widget/reviews.js', { config: { access: { public: true } }, schema: { hide: true } }, async (request, reply) =>
    reply
      .type('application/javascript; charset=utf-8')
      // Helmet answers same-origin by default; the script is meant for other sites' pages.
      .header('cross-origin-resource-policy', 'cross-origin')
      .header('cache-control', 'public, max-age=300')
      .send(widgetScript(`${request.protocol}://${request.host}`)),
  )
}
