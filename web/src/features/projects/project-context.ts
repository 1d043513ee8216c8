import { createContext, useContext } from 'react';
import type { Project } from './types';

export const ProjectContext = createContext<Project | null>(null);

export function useCurrentProject(): Project {
  const project = useContext(ProjectContext);
  if (!project) throw new Error('useCurrentProject used outside ProjectArea');
  return project;
}
