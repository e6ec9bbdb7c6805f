import { useMutation, useQueryClient } from '@tanstack/react-query'

/** A change to an idea: afterwards the board, the idea's page, my votes and ideas near me are read again. */
export function useIdeaChange<T, R = unknown>(fn: (arg: T) => Promise<R>, onSuccess?: (result: R) => void) {
  const client = useQueryClient()
  return useMutation({
    mutationFn: fn,
    onSuccess: (result) => {
      for (const key of ['ideas', 'idea', 'my-votes', 'ideas-near']) client.invalidateQueries({ queryKey: [key] })
      onSuccess?.(result)
    },
  })
}
