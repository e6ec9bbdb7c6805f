export { type Basket, dayOf, type History, readBaskets } from './baskets.js'
export { evaluate, firstBaskets, ndcgAt, recallAt, tuneBlend } from './evaluate.js'
export { type Blend, defaultBlend, type Exclusions, type Reason, Recommender, type Suggestion } from './model.js'
