// What the feature folders of the projects module (wiki/, documents/, search/, oauth/, classic/…)
// use from the Backlog API layer: caller resolution, parameter parsing, error shape, presenters.
export { callerOf } from './plugin';
export { bool, date, int, intList, name, nullableDate, nullableInt, paramsOf, parseParams, text } from './params';
export { BacklogCode, sendBacklogError } from './backlog-errors';
export { presentProject, presentStar, presentUser } from './backlog.presenter';
