import { budgetLedgerContract } from './budget-ledger.contract';
import { InMemoryBudgetLedger } from './in-memory-budget-ledger.adapter';

describe('InMemoryBudgetLedger', () => {
  budgetLedgerContract((clock) => new InMemoryBudgetLedger(clock.now));
});
