import type { LanguageId } from './types';

/**
 * What the detectors need to know about one grammar: which node types play which part.
 * Every detector is written once against these roles.
 */
export interface LangSpec {
  /** Nodes with their own body and their own complexity (functions, methods, lambdas). */
  functions: ReadonlySet<string>;
  /** Comment node types. */
  comments: ReadonlySet<string>;
  ifs: ReadonlySet<string>;
  /** Wrapper of an else branch (`else_clause`); its only statement child is the branch. */
  elseWrappers: ReadonlySet<string>;
  /** Python's `elif`: counts like `else if`. */
  elifs: ReadonlySet<string>;
  loops: ReadonlySet<string>;
  switches: ReadonlySet<string>;
  cases: ReadonlySet<string>;
  tries: ReadonlySet<string>;
  catches: ReadonlySet<string>;
  ternaries: ReadonlySet<string>;
  /** Nodes that raise ESLint `max-depth`-style nesting besides ifs, loops, switches and tries. */
  otherDepth: ReadonlySet<string>;
  /** Binary nodes whose operator may be a logical one. */
  logicalNodes: ReadonlySet<string>;
  andOps: ReadonlySet<string>;
  orOps: ReadonlySet<string>;
  parens: ReadonlySet<string>;
  jumps: ReadonlySet<string>;
  /** Child types that name a jump's label. */
  labels: ReadonlySet<string>;
  /** Containers whose members are analysed as separate units (classes, impls, modules). */
  containers: ReadonlySet<string>;
  classes: ReadonlySet<string>;
  identifiers: ReadonlySet<string>;
  strings: ReadonlySet<string>;
  numbers: ReadonlySet<string>;
  calls: ReadonlySet<string>;
  /** Single-line-comment and block-comment starts, for the token scanner. */
  lineComment: string;
  paramLists: ReadonlySet<string>;
}

const s = (...xs: string[]): ReadonlySet<string> => new Set(xs);

const JS_BASE = {
  functions: s('function_declaration', 'generator_function_declaration', 'function_expression', 'generator_function', 'arrow_function', 'method_definition'),
  comments: s('comment', 'html_comment'),
  ifs: s('if_statement'),
  elseWrappers: s('else_clause'),
  elifs: s(),
  loops: s('for_statement', 'for_in_statement', 'while_statement', 'do_statement'),
  switches: s('switch_statement'),
  cases: s('switch_case', 'switch_default'),
  tries: s('try_statement'),
  catches: s('catch_clause'),
  ternaries: s('ternary_expression'),
  otherDepth: s('with_statement'),
  logicalNodes: s('binary_expression'),
  andOps: s('&&'),
  orOps: s('||', '??'),
  parens: s('parenthesized_expression'),
  jumps: s('break_statement', 'continue_statement'),
  labels: s('statement_identifier'),
  containers: s('class_declaration', 'abstract_class_declaration', 'class_body', 'export_statement'),
  classes: s('class_declaration', 'abstract_class_declaration', 'class'),
  identifiers: s('identifier', 'shorthand_property_identifier', 'shorthand_property_identifier_pattern'),
  strings: s('string', 'template_string'),
  numbers: s('number'),
  calls: s('call_expression', 'new_expression'),
  lineComment: '//',
  paramLists: s('formal_parameters'),
};

const SPECS: Readonly<Record<LanguageId, LangSpec>> = {
  javascript: JS_BASE,
  typescript: JS_BASE,
  tsx: JS_BASE,
  python: {
    functions: s('function_definition', 'lambda'),
    comments: s('comment'),
    ifs: s('if_statement'),
    elseWrappers: s('else_clause'),
    elifs: s('elif_clause'),
    loops: s('for_statement', 'while_statement'),
    switches: s('match_statement'),
    cases: s('case_clause'),
    tries: s('try_statement'),
    catches: s('except_clause', 'except_group_clause'),
    ternaries: s('conditional_expression'),
    otherDepth: s('with_statement'),
    logicalNodes: s('boolean_operator'),
    andOps: s('and'),
    orOps: s('or'),
    parens: s('parenthesized_expression'),
    jumps: s(),
    labels: s(),
    containers: s('class_definition', 'decorated_definition', 'block'),
    classes: s('class_definition'),
    identifiers: s('identifier'),
    strings: s('string', 'concatenated_string'),
    numbers: s('integer', 'float'),
    calls: s('call'),
    lineComment: '#',
    paramLists: s('parameters', 'lambda_parameters'),
  },
  go: {
    functions: s('function_declaration', 'method_declaration', 'func_literal'),
    comments: s('comment'),
    ifs: s('if_statement'),
    elseWrappers: s(),
    elifs: s(),
    loops: s('for_statement'),
    switches: s('expression_switch_statement', 'type_switch_statement', 'select_statement'),
    cases: s('expression_case', 'default_case', 'type_case', 'communication_case'),
    tries: s(),
    catches: s(),
    ternaries: s(),
    otherDepth: s(),
    logicalNodes: s('binary_expression'),
    andOps: s('&&'),
    orOps: s('||'),
    parens: s('parenthesized_expression'),
    jumps: s('break_statement', 'continue_statement', 'goto_statement'),
    labels: s('label_name'),
    containers: s(),
    classes: s(),
    identifiers: s('identifier'),
    strings: s('interpreted_string_literal', 'raw_string_literal'),
    numbers: s('int_literal', 'float_literal'),
    calls: s('call_expression'),
    lineComment: '//',
    paramLists: s('parameter_list'),
  },
  java: {
    functions: s('method_declaration', 'constructor_declaration', 'compact_constructor_declaration', 'lambda_expression'),
    comments: s('line_comment', 'block_comment'),
    ifs: s('if_statement'),
    elseWrappers: s(),
    elifs: s(),
    loops: s('for_statement', 'enhanced_for_statement', 'while_statement', 'do_statement'),
    switches: s('switch_expression'),
    cases: s('switch_block_statement_group', 'switch_rule'),
    tries: s('try_statement', 'try_with_resources_statement'),
    catches: s('catch_clause'),
    ternaries: s('ternary_expression'),
    otherDepth: s(),
    logicalNodes: s('binary_expression'),
    andOps: s('&&'),
    orOps: s('||'),
    parens: s('parenthesized_expression'),
    jumps: s('break_statement', 'continue_statement'),
    labels: s('identifier'),
    containers: s('class_declaration', 'interface_declaration', 'enum_declaration', 'record_declaration', 'class_body', 'interface_body', 'enum_body', 'enum_body_declarations'),
    classes: s('class_declaration', 'interface_declaration', 'enum_declaration', 'record_declaration'),
    identifiers: s('identifier'),
    strings: s('string_literal'),
    numbers: s('decimal_integer_literal', 'hex_integer_literal', 'decimal_floating_point_literal'),
    calls: s('method_invocation', 'object_creation_expression'),
    lineComment: '//',
    paramLists: s('formal_parameters'),
  },
  rust: {
    functions: s('function_item', 'closure_expression'),
    comments: s('line_comment', 'block_comment'),
    ifs: s('if_expression'),
    elseWrappers: s('else_clause'),
    elifs: s(),
    loops: s('while_expression', 'loop_expression', 'for_expression'),
    switches: s('match_expression'),
    cases: s('match_arm'),
    tries: s(),
    catches: s(),
    ternaries: s(),
    otherDepth: s(),
    logicalNodes: s('binary_expression'),
    andOps: s('&&'),
    orOps: s('||'),
    parens: s('parenthesized_expression'),
    jumps: s('break_expression', 'continue_expression'),
    labels: s('label'),
    containers: s('impl_item', 'trait_item', 'mod_item', 'declaration_list'),
    classes: s('struct_item', 'enum_item', 'trait_item'),
    identifiers: s('identifier'),
    strings: s('string_literal', 'raw_string_literal'),
    numbers: s('integer_literal', 'float_literal'),
    calls: s('call_expression', 'macro_invocation'),
    lineComment: '//',
    paramLists: s('parameters', 'closure_parameters'),
  },
};

export function specFor(language: LanguageId): LangSpec {
  return SPECS[language];
}
