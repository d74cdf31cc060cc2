import { VirtualModel, VirtualModelFields, credentialSourceOf, virtualModelProblems } from './virtual-model';

function fields(overrides: Partial<VirtualModelFields> = {}): VirtualModelFields {
  return { name: 'smart', description: null, targets: [{ providerSlug: 'openai-main', model: 'gpt-4o', weight: 1 }], configId: null, ...overrides };
}

describe('virtual model values', () => {
  it('accepts names of letters, digits, dots, underscores, colons and dashes up to 64 characters', () => {
    for (const name of ['smart', 'gpt-4o:cheap', 'a', 'Team_A.v2', 'x'.repeat(64)]) expect(virtualModelProblems(fields({ name }))).toEqual([]);
  });

  it('refuses a name with a slash, a space, a leading dash or over 64 characters', () => {
    for (const name of ['openai/gpt-4o', 'my model', '-smart', '', 'x'.repeat(65)]) {
      expect(virtualModelProblems(fields({ name })).map((p) => p.field)).toEqual(['name']);
    }
  });

  it('needs at least one target', () => {
    expect(virtualModelProblems(fields({ targets: [] })).map((p) => p.field)).toEqual(['targets']);
  });

  it('an edit replaces the fields and moves updatedAt', () => {
    const model = VirtualModel.create({ organizationId: 'org-1', projectId: 'p-1' }, fields());
    const before = model.updatedAt.getTime();
    model.apply(fields({ name: 'smarter', description: 'now with fallback', configId: 'c-1' }));
    expect(model.fields()).toMatchObject({ name: 'smarter', description: 'now with fallback', configId: 'c-1' });
    expect(model.updatedAt.getTime()).toBeGreaterThanOrEqual(before);
  });
});

describe('credential source of a virtual model', () => {
  it('is byok, platform or mixed after its targets', () => {
    expect(credentialSourceOf([{ providerSlug: 'openai-main', model: 'gpt-4o', weight: 1 }])).toBe('byok');
    expect(credentialSourceOf([{ providerSlug: 'platform:openai', model: 'gpt-4o', weight: 1 }])).toBe('platform');
    expect(credentialSourceOf([{ providerSlug: 'openai-main', model: 'gpt-4o', weight: 1 }, { providerSlug: 'platform:openai', model: 'gpt-4o', weight: 1 }])).toBe('mixed');
  });
});
