import onnx, numpy as np
from onnx import helper, TensorProto, numpy_helper
src = onnx.load('/work/main/models/generator/model.onnx')
W = {t.name: numpy_helper.to_array(t) for t in src.graph.initializer if t.name.startswith('transformer.')}
L, C, H, V = 4, 256, 8, 8192
Dh = C // H
nodes = []; inits = [numpy_helper.from_array(a, n) for n, a in W.items()]
inits.append(numpy_helper.from_array(np.array([C, C, C], dtype=np.int64), 'split3'))
inp = [helper.make_tensor_value_info('input_ids', TensorProto.INT64, ['B', 'S']),
       helper.make_tensor_value_info('position_ids', TensorProto.INT64, ['B', 'S']),
       helper.make_tensor_value_info('seqlens_k', TensorProto.INT32, ['B']),
       helper.make_tensor_value_info('total_sequence_length', TensorProto.INT32, [])]
out = [helper.make_tensor_value_info('logits', TensorProto.FLOAT, ['B', 'S', V])]
nodes.append(helper.make_node('Gather', ['transformer.wte.weight', 'input_ids'], ['tok']))
nodes.append(helper.make_node('Gather', ['transformer.wpe.weight', 'position_ids'], ['pos']))
nodes.append(helper.make_node('Add', ['tok', 'pos'], ['h0']))
h = 'h0'
for l in range(L):
    p = f'transformer.h.{l}.'
    inp.append(helper.make_tensor_value_info(f'past_key_values.{l}.key', TensorProto.FLOAT, ['B', H, 'M', Dh]))
    inp.append(helper.make_tensor_value_info(f'past_key_values.{l}.value', TensorProto.FLOAT, ['B', H, 'M', Dh]))
    out.append(helper.make_tensor_value_info(f'present.{l}.key', TensorProto.FLOAT, ['B', H, 'M', Dh]))
    out.append(helper.make_tensor_value_info(f'present.{l}.value', TensorProto.FLOAT, ['B', H, 'M', Dh]))
    nodes.append(helper.make_node('LayerNormalization', [h, p+'ln_1.weight', p+'ln_1.bias'], [f'x{l}'], axis=-1, epsilon=1e-5))
    nodes.append(helper.make_node('MatMul', [f'x{l}', p+'attn.c_attn.weight'], [f'qkv0_{l}']))
    nodes.append(helper.make_node('Add', [f'qkv0_{l}', p+'attn.c_attn.bias'], [f'qkv{l}']))
    nodes.append(helper.make_node('Split', [f'qkv{l}', 'split3'], [f'q{l}', f'k{l}', f'v{l}'], axis=2))
    nodes.append(helper.make_node('GroupQueryAttention', [f'q{l}', f'k{l}', f'v{l}', f'past_key_values.{l}.key', f'past_key_values.{l}.value', 'seqlens_k', 'total_sequence_length'],
                                  [f'a{l}', f'present.{l}.key', f'present.{l}.value'], domain='com.microsoft', num_heads=H, kv_num_heads=H))
    nodes.append(helper.make_node('MatMul', [f'a{l}', p+'attn.c_proj.weight'], [f'o0_{l}']))
    nodes.append(helper.make_node('Add', [f'o0_{l}', p+'attn.c_proj.bias'], [f'o{l}']))
    nodes.append(helper.make_node('Add', [h, f'o{l}'], [f'h2_{l}']))
    nodes.append(helper.make_node('LayerNormalization', [f'h2_{l}', p+'ln_2.weight', p+'ln_2.bias'], [f'x2_{l}'], axis=-1, epsilon=1e-5))
    nodes.append(helper.make_node('MatMul', [f'x2_{l}', p+'mlp.c_fc.weight'], [f'u0_{l}']))
    nodes.append(helper.make_node('BiasGelu', [f'u0_{l}', p+'mlp.c_fc.bias'], [f'g{l}'], domain='com.microsoft'))
    nodes.append(helper.make_node('MatMul', [f'g{l}', p+'mlp.c_proj.weight'], [f'f0_{l}']))
    nodes.append(helper.make_node('Add', [f'f0_{l}', p+'mlp.c_proj.bias'], [f'f{l}']))
    nodes.append(helper.make_node('Add', [f'h2_{l}', f'f{l}'], [f'h{l+1}']))
    h = f'h{l+1}'
nodes.append(helper.make_node('LayerNormalization', [h, 'transformer.ln_f.weight', 'transformer.ln_f.bias'], ['nf'], axis=-1, epsilon=1e-5))
nodes.append(helper.make_node('Transpose', ['transformer.wte.weight'], ['wteT'], perm=[1, 0]))
nodes.append(helper.make_node('MatMul', ['nf', 'wteT'], ['logits']))
g = helper.make_graph(nodes, 'gqa', inp, out, inits)
m = helper.make_model(g, opset_imports=[helper.make_opsetid('', 17), helper.make_opsetid('com.microsoft', 1)])
m.ir_version = 8
onnx.save(m, 'gqa.onnx')
print('ok', len(nodes))
