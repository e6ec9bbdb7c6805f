import { Button } from '@mantine/core'
import { useInfiniteQuery } from '@tanstack/react-query'
import { get, type Page, query } from '../api'

/** A list the API pages with `nextCursor`: every page fetched so far, flattened, and what fetches more. */
export function usePages<T>(key: unknown[], path: string, params: Record<string, string | number | null | undefined> = {}) {
  const pages = useInfiniteQuery({
    queryKey: [...key, params],
    queryFn: ({ pageParam }) => get<Page<T>>(`${path}${query({ ...params, cursor: pageParam })}`),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  })
  return { ...pages, items: pages.data?.pages.flatMap((p) => p.items) ?? [] }
}

/** "Show more" under a paged list, while there is more. */
export function MoreButton({ pages, label }: { pages: { hasNextPage: boolean; isFetchingNextPage: boolean; fetchNextPage: () => unknown }; label: string }) {
  if (!pages.hasNextPage) return null
  return (
    <Button variant="light" mt="sm" onClick={() => pages.fetchNextPage()} loading={pages.isFetchingNextPage}>
      {label}
    </Button>
  )
}
