export { searchDialect, type SearchDialect } from './search.repository';
