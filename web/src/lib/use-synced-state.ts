import { useState } from 'react';

export function useSyncedState<T>(source: T): [T, (value: T) => void, () => void] {
  const [value, setValue] = useState(source);
  const [seen, setSeen] = useState(source);
  if (!Object.is(source, seen)) {
    setSeen(source);
    setValue(source);
  }
  return [value, setValue, () => setValue(source)];
}
