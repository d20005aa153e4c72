"""THREAT-CONTROL-FROM-OUTSIDE: control instructions arrive from outside the control network (Table 3-4 integration of control instructions)."""

from factorysec.analysis.context import AnalysisContext
from factorysec.analysis.findings import text
from factorysec.analysis.rules._common import conduit_threat_rule, control_links
from factorysec.model.entities import Conduit, ExternalNetwork


def _from_outside(context: AnalysisContext, conduit: Conduit, source: str, target: str) -> bool:
    """Whether the conduit carries control instructions issued outside the control side (the side of the end that
    issues them: :meth:`AnalysisContext.control_ends`) or over an external network."""
    if not conduit.carries_control_instructions:
        return False
    if conduit.external_network is not ExternalNetwork.NONE:
        return True
    issuing_side = target if context.issued_at_to_end(conduit) else source
    return issuing_side != "fa"


RULE = conduit_threat_rule(
    rule_id="THREAT-CONTROL-FROM-OUTSIDE",
    reference="Appendix 3.1.7 Table 3-4 (integration of control instructions: instructions from outside the control network)",
    title=text("Control instructions come from outside the control network", "制御ネットワーク外から制御指示が届く"),
    summary=text(
        "Fires per conduit carrying control instructions from a zone outside the control (FA) side or over an external network; they come from the conduit's 'from' end, or from its 'to' end where instructions_from says so.",
        "制御系（FA）外のゾーンから、または外部ネットワーク経由で制御指示を運ぶコンジットごとに発生する。制御指示はコンジットを描いた向きで来るものとし、instructions_from が逆の端を示す場合はその端から来るものとする。",
    ),
    predicate=_from_outside,
    rationale_en="{conduit} carries control instructions ({data}) from outside the control network: a compromised sender there can drive the receiving equipment abnormally or stop it",
    rationale_ja="{conduit}は制御ネットワーク外から制御指示（{data}）を運ぶ。送信側が侵害されると受信側の設備を異常動作・停止させうる",
    threat_type="abnormal-control-shutdown",
    viewpoint="control-instructions/external-control-instructions",
    risk_matter="fa-oa-connection",
    measures=("net-unidirectional-control-instructions", "net-input-validation-fa-oa", "net-zone-boundary-filtering"),
    among=control_links,
    why=text(
        "Table 3-4 singles out control instructions that come from outside the factory's control network: whoever can reach the sender can move the equipment, so the receiving zone must decide which instructions it accepts and from whom.",
        "表3-4は、工場の制御ネットワークの外から来る制御指示を特に取り上げる。送信元に届く者は設備を動かせるため、受け取るゾーンは、誰からどの指示を受け入れるかを決めなければならない。",
    ),
    false_positives=text(
        "A conduit marked as carrying control instructions may in fact carry only set-points a person confirms on the HMI before they take effect: check what the flow really does, and correct 'carries_control_instructions' if it is wrong.",
        "制御指示を運ぶとされたコンジットが、実際にはHMIで人が確認してから反映される設定値だけを運ぶことがある。実際の流れを確認し、誤りなら 'carries_control_instructions' を直す。",
    ),
)
