/** The community: reviews and Q&A, ideas, polls, moderation and notifications (docs/community.md). */
export * from './polls/index.js'
