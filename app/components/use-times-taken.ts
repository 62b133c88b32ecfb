import { useNavigation } from '@remix-run/react'
import { useEffect, useRef, useState } from 'react'
import type { ActionFailure } from '~/components/forms'

// Apart from the field kit (components/forms.tsx), which imports nothing of Remix: tests that stand in for
// @remix-run/react build their stand-ins from the kit, and the kit importing Remix made that a cycle that
// never resolved (the test files hung while loading).
/**
 * How many times the page's form of `intent` was sent and taken (the post ended without a refusal for
 * it): the form's key, so that a form sent with JavaScript starts empty again, as it does without
 * (a new page). A message typed into the thread's reply stayed there after it was sent and shown.
 */
export function useTimesTaken(intent: string, failure: ActionFailure | undefined): number {
  const navigation = useNavigation()
  const [taken, setTaken] = useState(0)
  const sending = useRef(false)
  const ours = navigation.state !== 'idle' && navigation.formData?.get('intent') === intent
  useEffect(() => {
    if (ours) sending.current = true
    else if (navigation.state === 'idle' && sending.current) {
      sending.current = false
      if (!failure) setTaken((count) => count + 1)
    }
  }, [ours, navigation.state, failure])
  return taken
}
