export { teamRoutes } from './teams.routes';
export { refreshCallerTeams } from './teams.sync';
export { refreshProjectTeams } from './project-teams.service';
